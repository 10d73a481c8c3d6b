import Foundation
public import HTTPTypes
public import Hummingbird
internal import Identity
internal import NIOCore

/// The body of every `/v1` response, success or error (API.md §1).
public struct Envelope<Payload: Encodable & Sendable>: Encodable, Sendable {
    let meta: EnvelopeMeta
    let context: EnvelopeContext
    let data: Payload?
    let error: EnvelopeError?
    let links: [String: String]

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.meta, forKey: .meta)
        try container.encode(self.context, forKey: .context)
        try container.encode(self.data, forKey: .data)
        try container.encode(self.error, forKey: .error)
        try container.encode(self.links, forKey: .links)
    }

    enum CodingKeys: String, CodingKey {
        case meta, context, data, error, links
    }

    /// A JSON response carrying `data` (or `error`) in the envelope.
    public static func response(
        _ data: Payload?, status: HTTPResponse.Status = .ok, error: APIError? = nil, request: Request, context: AppRequestContext,
        revision: UInt64, links: [String: String] = [:]
    ) throws -> Response {
        let envelope = Envelope(
            meta: EnvelopeMeta(
                requestID: context.requestID.uuidString.lowercased(),
                traceID: context.traceID.uuidString.lowercased(),
                timestamp: Timestamp.format(Date()),
                status: Int(status.code),
                version: "1.0",
                revision: String(revision)
            ),
            context: EnvelopeContext(principalID: context.authentication?.principal.id.uuidString.lowercased()),
            data: data,
            error: error.map { EnvelopeError(code: $0.code, message: $0.message, details: $0.details.isEmpty ? nil : $0.details) },
            links: links.merging(["self": request.uri.description]) { own, _ in own }
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        for method in error?.allow ?? [] {
            headers.append(HTTPField(name: .allow, value: method.rawValue))
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(envelope))))
    }
}
