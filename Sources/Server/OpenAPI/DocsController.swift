internal import APIKeys
internal import Authz
import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import NIOCore
internal import Workloads

/// `/openapi.json` and `/docs`: the API's own description, served by the API, with no
/// external assets (the page embeds the document and renders it with one script).
struct DocsController {
    let document: ByteBuffer
    let page: ByteBuffer
    /// Only the page's own script and style run, named by their SHA-256: nothing injected
    /// into the page, and nothing from elsewhere, could.
    let securityPolicy: String

    init(policy: Policy, providers: ProviderCatalog) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json: Data
        do {
            json = try encoder.encode(OpenAPIDocument.json(policy: policy, providers: providers))
        } catch {
            // The document is a constant of the program: failing to encode it is a bug.
            fatalError("the OpenAPI document does not encode: \(error)")
        }
        self.document = ByteBuffer(bytes: json)
        // `</` would end the script element early; JSON allows `<\/` in its place.
        let embedded = String(decoding: json, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
        self.page = ByteBuffer(
            string: DocsPage.template.replacingOccurrences(of: "%STYLE%", with: DocsPage.style)
                .replacingOccurrences(of: "%SCRIPT%", with: DocsPage.script).replacingOccurrences(of: "%DOCUMENT%", with: embedded)
        )
        func hash(_ text: String) -> String { "'sha256-\(Data(Digest.sha256(Array(text.utf8))).base64EncodedString())'" }
        self.securityPolicy =
            "default-src 'none'; script-src \(hash(DocsPage.script)); style-src \(hash(DocsPage.style)); base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    }

    func addRoutes(to routes: inout Routes) {
        routes.on(.get, "/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: self.document))
        }
        routes.on(.get, "/docs") { _, _ in
            Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8", .contentSecurityPolicy: self.securityPolicy, HTTPField.Name("X-Frame-Options")!: "DENY",
                    HTTPField.Name("Referrer-Policy")!: "no-referrer", HTTPField.Name("X-Content-Type-Options")!: "nosniff",
                ],
                body: ResponseBody(byteBuffer: self.page)
            )
        }
    }
}
