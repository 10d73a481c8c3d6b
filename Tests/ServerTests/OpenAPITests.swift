import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import NIOCore
import Testing

@testable import Server

/// `/openapi.json` describes exactly the routes the router serves (checked both ways), every
/// schema it refers to exists, and `/docs` renders it without loading anything.
@Suite struct OpenAPITests {
    @Test func theDocumentAndTheRouterAgreeBothWays() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let (status, text, document) = try await client.execute(uri: "/openapi.json", method: .get) { response in
                let bytes = Data(response.body.readableBytesView)
                return (
                    response.status, String(decoding: bytes, as: UTF8.self), try JSONSerialization.jsonObject(with: bytes) as? [String: Any] ?? [:]
                )
            }
            #expect(status == .ok && document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented = Set<String>()
            for (path, methods) in paths {
                for method in methods.keys { documented.insert("\(method.uppercased()) \(path)") }
            }
            let (_, table) = buildRouter(service: app.service)
            let served = Set(
                table.routes.map { route in
                    let path = route.path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
                    return "\(route.method.rawValue) /\(path)"
                }
            )
            #expect(served.subtracting(documented).sorted() == [], "served but not documented")
            #expect(documented.subtracting(served).sorted() == [], "documented but not served")
            #expect(served.count > 30)
            // Responses and parameters used by many operations are named once in components.
            let components = try #require(document["components"] as? [String: Any])
            let sharedParameters = components["parameters"] as? [String: Any] ?? [:]
            for (kind, shared) in [("parameters", sharedParameters), ("responses", components["responses"] as? [String: Any] ?? [:])] {
                let refs = text.components(separatedBy: "#/components/\(kind)/").dropFirst().map { String($0.prefix { $0 != "\"" }) }
                #expect(!refs.isEmpty && refs.allSatisfy { shared[$0] != nil }, "\(kind): \(Set(refs).subtracting(shared.keys))")
            }
            // The routes that honour Idempotency-Key are the ones documenting it.
            let idempotentServed = Set(table.routes.filter(\.idempotent).map { "\($0.method.rawValue) \($0.path)" })
            var idempotentDocumented = Set<String>()
            for (path, methods) in paths {
                for (method, operation) in methods {
                    let parameters = ((operation as? [String: Any])?["parameters"] as? [[String: Any]] ?? []).map { parameter in
                        (parameter["$ref"] as? String).flatMap { sharedParameters[$0.components(separatedBy: "/").last ?? ""] as? [String: Any] }
                            ?? parameter
                    }
                    if parameters.contains(where: { $0["name"] as? String == "Idempotency-Key" }) {
                        idempotentDocumented.insert("\(method.uppercased()) \(path)")
                    }
                }
            }
            #expect(idempotentServed == idempotentDocumented && idempotentServed == ["POST /v1/api-keys", "POST /v1/jobs", "POST /v1/workflow-runs"])

            // Every $ref resolves; every /v1 operation documents its errors in the envelope.
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let refs = text.components(separatedBy: "#/components/schemas/").dropFirst().map { String($0.prefix { $0 != "\"" && $0 != "\\" }) }
            #expect(!refs.isEmpty && refs.allSatisfy { schemas[$0] != nil }, "\(Set(refs).subtracting(schemas.keys))")
            for (path, methods) in paths where path.hasPrefix("/v1/") {
                for (method, operation) in methods {
                    let responses = (operation as? [String: Any])?["responses"] as? [String: Any] ?? [:]
                    #expect(["400", "401", "429", "500"].allSatisfy { responses[$0] != nil }, "\(method) \(path)")
                    // A body may be too large; a JSON body may come as something else.
                    if let body = (operation as? [String: Any])?["requestBody"] as? [String: Any] {
                        let json = (body["content"] as? [String: Any])?["application/json"] != nil
                        #expect(responses["413"] != nil && (!json || responses["415"] != nil), "\(method) \(path)")
                    }
                }
            }
            // "X or null" is anyOf: with oneOf, null matching both sides (as it does when X is
            // any JSON) fails validation — schemathesis found the error envelope's `data` so.
            // oneOf is kept for branches told apart by a constant (a check's resource type).
            func nullInOneOf(_ value: Any) -> Bool {
                if let object = value as? [String: Any] {
                    if let branches = object["oneOf"] as? [[String: Any]], branches.contains(where: { $0["type"] as? String == "null" || $0.isEmpty })
                    {
                        return true
                    }
                    return object.values.contains(where: nullInOneOf)
                }
                return (value as? [Any])?.contains(where: nullInOneOf) ?? false
            }
            #expect(!nullInOneOf(document) && text.contains("\"oneOf\""))
            let errorData = ((schemas["ErrorEnvelope"] as? [String: Any])?["properties"] as? [String: Any])?["data"] as? [String: Any]
            #expect(errorData?["type"] as? String == "null")
            // The provider catalog is a list in `items`, as every list is.
            let providers = ((paths["/v1/providers"]?["get"] as? [String: Any])?["responses"] as? [String: Any])?["200"] as? [String: Any]
            let envelope = ((providers?["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
            let data = (envelope?["properties"] as? [String: Any])?["data"] as? [String: Any]
            #expect((data?["properties"] as? [String: Any])?["items"] != nil && data?["required"] as? [String] == ["items"])
        }
    }

    @Test func theDocsPageIsSelfContained() async throws {
        try await AuthenticatedApplication.withApplication { client, _ in
            let (status, headers, page) = try await client.execute(uri: "/docs", method: .get) { response in
                (response.status, response.headers, String(decoding: response.body.readableBytesView, as: UTF8.self))
            }
            #expect(status == .ok && headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none'") == true)
            #expect(!page.contains("src=") && !page.contains("href=") && !page.contains("@import"))
            #expect(page.contains("\"openapi\":\"3.1.0\"") && page.contains("/v1/api-keys/{id}/rotate"))
            // Every request body names a concrete media type: `*/*` broke the page's script and
            // made client generators skip the operation.
            #expect(!page.contains("\"*/*\":{\"schema\":{\"format\":\"binary\",\"type\":\"string\"}}},\"required\""))
            #expect(page.contains("\"application/octet-stream\""))
        }
    }
}
