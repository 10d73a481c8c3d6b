internal import Authz
import Foundation
import JSON
internal import Workloads

/// The OpenAPI 3.1 description of every route the service serves (`GET /openapi.json`,
/// rendered by `GET /docs`). Written by hand as the contract, not derived from the router:
/// a test compares the two both ways, so neither can drift from the other.
enum OpenAPIDocument {
    static let version = ServiceVersion.current

    static func json(policy: Policy, providers: ProviderCatalog) -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for operation in Self.operations {
            let path = operation.path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            paths["/" + path, default: [:]][operation.method] = Self.render(operation)
        }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object([
                "title": .string("authz"),
                "version": .string(Self.version),
                "description": .string(
                    "Multi-tenant RBAC authorization. Every /v1 response is the envelope `{meta, context, data, error, links}`; "
                        + "errors carry a stable `code` (validation_error, unauthorized, forbidden, not_found, method_not_allowed, conflict, "
                        + "idempotency_conflict, gone, payload_too_large, unsupported_media_type, rate_limited, internal_error, unavailable, "
                        + "revision_unavailable) and, for validation errors, `details` with field paths. Another tenant's ids are 404, never 403. "
                        + "Lists take `limit` (1-200, default 50) and an opaque `cursor`; `links.next` is set while more items exist."
                ),
            ]),
            // Relative: the server that served the document, wherever it listens or is proxied.
            "servers": .array([.object(["url": .string("/"), "description": .string("the server this document was read from")])]),
            "security": .array([.object(["bearer": .array([])])]),
            "paths": .object(paths.mapValues { .object($0) }),
            "components": .object([
                "securitySchemes": .object([
                    "bearer": .object([
                        "type": .string("http"), "scheme": .string("bearer"),
                        "description": .string("An API key `azk_<id>_<secret>`, or a JWT from the configured issuer."),
                    ])
                ]),
                "schemas": .object(
                    Dictionary(
                        (Self.schemas + Self.policySchemas(policy, providers: providers)).map { ($0.0, $0.1.json) },
                        uniquingKeysWith: { _, policy in policy }
                    )
                ),
            ]),
        ])
    }

    static func render(_ operation: OpenAPIOperation) -> JSONValue {
        var members: [String: JSONValue] = [
            "tags": .array([.string(operation.tag)]),
            "summary": .string(operation.summary),
            "operationId": .string(Self.operationID(operation)),
        ]
        var description = operation.description
        if let permission = operation.permission {
            description += (description.isEmpty ? "" : "\n\n") + "Requires `\(permission)`."
        }
        if !description.isEmpty { members["description"] = .string(description) }
        var parameters: [JSONValue] = operation.path.split(separator: "/").filter { $0.hasPrefix(":") }.map { segment in
            .object([
                "name": .string(String(segment.dropFirst())), "in": .string("path"), "required": .bool(true),
                "schema": OpenAPISchema.uuid.json,
            ])
        }
        var query = operation.query
        if operation.paginated {
            query += [
                ("limit", .integer(minimum: 1, maximum: 200), "Page size (default 50)."),
                ("cursor", operation.cursor, "The `links.next` cursor of the previous page."),
            ]
        }
        parameters += query.map { parameter in
            .object([
                // "Required." opens the description of a parameter the route cannot do without.
                "name": .string(parameter.name), "in": .string("query"), "required": .bool(parameter.description.hasPrefix("Required")),
                "schema": parameter.schema.json,
                "description": .string(parameter.description),
            ])
        }
        if operation.idempotent {
            parameters.append(
                .object([
                    "name": .string("Idempotency-Key"), "in": .string("header"), "required": .bool(false),
                    "schema": OpenAPISchema.string(length: 1...255, pattern: "^[!-~]+$").json,
                    "description": .string(
                        "1-255 visible ASCII characters, kept 24 h per principal: the same key and body replay the first response "
                            + "(with `Idempotent-Replayed: true`); another body is 409 `idempotency_conflict`."
                    ),
                ])
            )
        }
        if !parameters.isEmpty { members["parameters"] = .array(parameters) }
        if operation.rawBody {
            members["requestBody"] = .object([
                "required": .bool(true),
                // Any type is stored as sent; client generators need a concrete one to emit the
                // operation at all (`*/*` made them skip it).
                "content": .object([
                    "application/octet-stream": .object(["schema": .object(["type": .string("string"), "format": .string("binary")])])
                ]),
            ])
        }
        if let body = operation.body {
            members["requestBody"] = .object([
                "required": .bool(operation.bodyRequired),
                "content": .object(["application/json": .object(["schema": body.json])]),
            ])
        }
        var responses: [String: JSONValue] = [:]
        func enveloped(errors: [Int]) {
            let common = [400, 401, 429, 500, 503]
            // A body is read whole up to its limit, and a JSON one only as JSON.
            let body = (operation.body != nil ? [413, 415] : []) + (operation.rawBody ? [413] : [])
            for status in Set(common + body + errors).sorted() {
                responses[String(status)] = .object([
                    "description": .string(Self.errorDescriptions[status] ?? "Error."),
                    "content": .object(["application/json": .object(["schema": OpenAPISchema.reference("ErrorEnvelope").json])]),
                ])
            }
            members["security"] = .array([.object(["bearer": .array([])])])
        }
        switch operation.kind {
        case .enveloped:
            let data = operation.paginated ? OpenAPISchema.object([("items", .array(operation.data ?? .any))], required: ["items"]) : operation.data
            responses[String(operation.status)] = .object([
                "description": .string("Success, in the envelope."),
                "content": .object(["application/json": .object(["schema": Self.envelope(data).json])]),
            ])
            // A reused Idempotency-Key with another body is 409 on any idempotent route.
            enveloped(errors: operation.errors + (operation.idempotent ? [409] : []))
        case .eventStream(let events):
            responses["200"] = .object([
                "description": .string("Server-Sent Events (not enveloped). " + events),
                "content": .object(["text/event-stream": .object(["schema": OpenAPISchema.string().json])]),
            ])
            enveloped(errors: operation.errors)
        case .publicEnveloped:
            responses["200"] = .object([
                "description": .string("Success, in the envelope."),
                "content": .object(["application/json": .object(["schema": Self.envelope(operation.data).json])]),
            ])
            enveloped(errors: operation.errors)
            members["security"] = .array([])
        case .download:
            responses["200"] = .object([
                "description": .string("The bytes, with their `Content-Type` and an `ETag` (the SHA-256 of the content)."),
                "content": .object(["*/*": .object(["schema": .object(["type": .string("string"), "format": .string("binary")])])]),
            ])
            responses["304"] = .object(["description": .string("`If-None-Match` named the current `ETag`.")])
            enveloped(errors: operation.errors)
        case .webSocket(let messages):
            responses["101"] = .object(["description": .string("Switching to the WebSocket protocol. " + messages)])
            enveloped(errors: operation.errors + [426])
        case .plainJSON:
            responses["200"] = .object([
                "description": .string("Plain JSON (no envelope)."),
                "content": .object(["application/json": .object(["schema": (operation.data ?? .any).json])]),
            ])
            if !operation.errors.isEmpty { responses["503"] = .object(["description": .string("Not ready.")]) }
            members["security"] = .array([])
        case .text(let type):
            responses["200"] = .object([
                "description": .string("Success."), "content": .object([type: .object(["schema": OpenAPISchema.string().json])]),
            ])
            members["security"] = .array([])
        }
        members["responses"] = .object(responses)
        return .object(members)
    }

    static func operationID(_ operation: OpenAPIOperation) -> String {
        let words = operation.path.split(separator: "/").dropFirst(operation.path.hasPrefix("/v1") ? 1 : 0)
            .map { $0.hasPrefix(":") ? "by_" + $0.dropFirst() : String($0) }
        return ([operation.method] + words).joined(separator: "_").replacingOccurrences(of: "-", with: "_")
    }

    static func envelope(_ data: OpenAPISchema?) -> OpenAPISchema {
        .object(
            [
                ("meta", .reference("Meta")), ("context", .reference("Context")), ("data", data ?? .null),
                ("error", .nullable(.reference("Error"))), ("links", .reference("Links")),
            ],
            required: ["meta", "context", "data", "error", "links"]
        )
    }

    static let errorDescriptions: [Int: String] = [
        400: "`validation_error`: malformed JSON, wrong types, unknown or missing fields, out-of-range values; `details` has the field paths.",
        401:
            "(`share_password_required`, `share_wrong_password` for share links) `unauthorized`: no credentials, or an unknown, revoked, disabled or expired key, or a bad JWT (one answer for all).",
        403: "`forbidden`: the caller may see the resource but lacks the permission (or a scoped key's scopes do not include it).",
        404: "`not_found`: no such resource, or it belongs to a tenant the caller cannot see.",
        409: "`conflict` (duplicate, state transition not allowed, last owner) or `idempotency_conflict`; for public share links "
            + "`evidence_unverified`, `artifact_filtered` or `public_payload_policy_rejected`.",
        410: "`gone`: the invitation expired, was revoked or was already used (`share_revoked`, `share_expired` for share links).",
        413: "`payload_too_large`: the body is above the route's limit (1 MiB; assets 25 MiB).",
        415: "`unsupported_media_type`: send `Content-Type: application/json`.",
        426: "`upgrade_required`: a WebSocket route called without a WebSocket upgrade.",
        429: "`rate_limited` (`share_password_locked`, `share_rate_limited` for share links), with `Retry-After` and the rate-limit headers. "
            + "On a streaming route also when the caller already holds its limit of open streams on this replica (16 unless "
            + "`--streams-per-principal` says otherwise), before the stream starts.",
        500: "`internal_error`: logged with the request id, never detailed.",
        502: "`provider_failed`: the provider failed the work; the message is the provider's.",
        503: "`unavailable` (the store is down) or `revision_unavailable` (`consistency.min_revision` not reached within 2 s).",
    ]
}
