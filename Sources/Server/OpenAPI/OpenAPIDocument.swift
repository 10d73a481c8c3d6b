internal import Authz
import Foundation
import JSON
internal import Workloads

/// The OpenAPI 3.1 description of every route the service serves (`GET /openapi.json`,
/// rendered by `GET /docs`). Edited as a document, `openapi.json` beside this file, embedded
/// in the binary at build time; the schemas only the loaded policy and provider catalog can
/// state are merged in at start (`OpenAPIDocument+Policy`). Written by hand as the contract,
/// not derived from the router: a test compares the two both ways, so neither can drift.
enum OpenAPIDocument {
    static let version = ServiceVersion.current

    /// The hand-written part. It is a constant of the program, checked by the tests on every
    /// build: failing to parse it is a bug in the file, found before anything ships.
    static let base: [String: JSONValue] = {
        do {
            guard case .object(let document) = try JSONParser.parse(PackageResources.openapi_json) else {
                fatalError("openapi.json is not a JSON object")
            }
            return document
        } catch {
            fatalError("openapi.json is not JSON (a key given twice?): \(error)")
        }
    }()

    static func json(policy: Policy, providers: ProviderCatalog) -> JSONValue {
        var document = Self.base
        if case .object(var info)? = document["info"] {
            info["version"] = .string(Self.version)
            document["info"] = .object(info)
        }
        if case .object(var components)? = document["components"], case .object(var schemas)? = components["schemas"] {
            for (name, schema) in Self.policySchemas(policy, providers: providers) { schemas[name] = schema.json }
            components["schemas"] = .object(schemas)
            document["components"] = .object(components)
        }
        return .object(document)
    }
}
