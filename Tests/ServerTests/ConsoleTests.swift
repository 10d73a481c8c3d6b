import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import Testing

@testable import Server

/// `/console`'s three files under a strict policy, its switch, and what the API gives the
/// console: an invitation's accept link, and the roles a caller may grant.
@Suite struct ConsoleTests {
    @Test func filesAreServedUnderAStrictPolicy() async throws {
        try await AuthenticatedApplication.withApplication { client, _ in
            for (path, type) in [
                ("/console", "text/html"), ("/console/console.js", "text/javascript"), ("/console/console.css", "text/css"),
            ] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path)")
                    #expect(response.headers[.contentType]?.hasPrefix(type) == true, "\(path)")
                    let policy = response.headers[.contentSecurityPolicy] ?? ""
                    #expect(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe"))
                    #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                    #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                    #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                    #expect(response.body.readableBytes > 500)
                }
            }
            // The page loads its script and style by path: nothing inline for the policy to refuse.
            try await client.execute(uri: "/console", method: .get) { response in
                let page = String(buffer: response.body)
                #expect(page.contains(#"<script src="/console/console.js" defer></script>"#) && !page.contains("<script>"))
                #expect(page.range(of: #"\son[a-z]+="#, options: .regularExpression) == nil && !page.contains("style="))
            }
            try await client.execute(uri: "/console/console.js", method: .get) { response in
                let script = String(buffer: response.body)
                // Built with DOM calls: no markup from data, no code from strings.
                #expect(!script.contains("innerHTML") && !script.contains("eval(") && !script.contains("new Function"))
                #expect(script.contains("sessionStorage") && !script.contains("localStorage") && !script.contains("document.cookie"))
            }
        }
    }

    /// Off, the console is absent (404 as any unknown path) and invitations name no link.
    @Test func theConsoleCanBeTurnedOff() async throws {
        try await AuthenticatedApplication.withApplication { _, app in
            let (router, _) = buildRouter(service: app.service, console: false)
            try await Application(router: router).test(.router) { client in
                try await client.execute(uri: "/console", method: .get) { #expect($0.status == .notFound) }
                let organization = try await app.service.createOrganization(name: "Quiet", slug: nil, creator: app.adminID).0.id
                let (status, body) = try await client.post(
                    "/v1/invitations",
                    bearer: app.adminKey,
                    json: #"{"organization_id":"\#(organization.uuidString)","email":"q@example.com","role":"member"}"#
                )
                #expect(status == .created && data(body)["token"] is String && !(data(body)["url"] is String))
            }
        }
    }

    @Test func anInvitationNamesItsAcceptPage() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let tenant = try await Tenant.make(app)
            let (status, body) = try await client.post(
                "/v1/invitations",
                bearer: app.adminKey,
                json: #"{"organization_id":"\#(tenant.organization.uuidString)","email":"new@example.com","role":"viewer"}"#
            )
            #expect(status == .created)
            let id = try #require(data(body)["id"] as? String)
            let token = try #require(data(body)["token"] as? String)
            #expect(data(body)["url"] as? String == "/console#/accept/\(id)/\(token)")
            // Shown once: the list never carries the token or the link.
            let list = try await client.send(.get, "/v1/organizations/\(tenant.organization.uuidString)/invitations", bearer: app.adminKey).2
            let items = try #require(data(list)["items"] as? [[String: Any]])
            #expect(items.count == 1 && items.allSatisfy { !($0["token"] is String) && !($0["url"] is String) })
        }
    }

    /// The console offers only the roles the API will accept: the caller's own and below,
    /// every role for a platform admin.
    @Test func permissionsSayWhichRolesTheCallerMayGrant() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let tenant = try await Tenant.make(app)
            let path = "/v1/me/permissions?organization_id=\(tenant.organization.uuidString)"
            for (key, expected) in [
                (app.adminKey, ["owner", "admin", "member", "viewer"]), (tenant.memberKey, ["member", "viewer"]), (tenant.viewerKey, ["viewer"]),
            ] {
                let (status, _, body) = try await client.send(.get, path, bearer: key)
                #expect(status == .ok)
                #expect(data(body)["grantable_roles"] as? [String] == expected)
            }
        }
    }
}

/// `authz serve --console off` (or `AUTHZ_CONSOLE=off`) removes it; a value that is neither is
/// refused at start, naming the flag.
@Suite struct ConsoleSwitchTests {
    @Test(.enabled(if: BinaryTests.available)) func theBinaryTurnsItOff() async throws {
        try await BinaryTests.withServer(["--console", "off"]) { api, _ in
            let (status, _) = try await EndToEndTests.call("GET", api.appendingPathComponent("console"), key: nil)
            #expect(status == 404)
        }
        try await BinaryTests.withServer { api, _ in
            let (status, _) = try await EndToEndTests.call("GET", api.appendingPathComponent("console/console.js"), key: nil)
            #expect(status == 200)
        }
        let (status, output) = try EndToEndTests.runCommand(["serve", "--console", "maybe", "--grpc-port", "0"])
        #expect(status != 0 && output.contains("--console must be on or off, not 'maybe'"), "\(output)")
    }

    /// Nothing from elsewhere: every URL the three files name is the console's own.
    @Test func noExternalAssets() async throws {
        let files = [PackageResources.console_html, PackageResources.console_js, PackageResources.console_css].map {
            String(decoding: $0, as: UTF8.self)
        }
        for file in files {
            let urls = file.matches(of: /(?:src|href)="([^"#]+)"|url\(|fetch\("(https?:[^"]+)"|"(https?:\/\/[^"]+)"/).map { String($0.output.0) }
            // The SVG namespace is a name, not a fetch; `data:,` is the empty icon (no request).
            let own = ["href=\"/docs\"", "href=\"data:,\"", "href=\"#main\""]
            #expect(urls.filter { !$0.contains("/console/") && !$0.contains("http://www.w3.org/2000/svg") && !own.contains($0) } == [])
        }
    }
}
