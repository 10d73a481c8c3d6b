import Foundation
public import HTTPTypes
public import Hummingbird
internal import Identity
internal import NIOCore

/// The body of every `/v1` response, success or error (API.md §1).
public struct Envelope<Payload: Encodable & Sendable>: Sendable {
    let meta: EnvelopeMeta
    let context: EnvelopeContext
    let data: Payload?
    let error: EnvelopeError?
    let links: [String: String]

    /// The envelope as bytes, keys in sorted order. Written by hand: for a check, encoding
    /// through `JSONEncoder` cost several times the check itself. A payload that is not
    /// `JSONWritable` is still encoded by `JSONEncoder`, on its own.
    func serialized() throws -> [UInt8] {
        var output = JSONOutput()
        output.open()
        output.key("context")
        output.open()
        output.key("organization_id")
        output.string(self.context.organizationID)
        output.comma()
        output.key("principal_id")
        output.string(self.context.principalID)
        output.comma()
        output.key("team_id")
        output.string(self.context.teamID)
        output.close()
        output.comma()
        output.key("data")
        switch self.data {
        case nil:
            output.raw("null")
        case let writable as any JSONWritable:
            writable.write(to: &output)
        case let payload?:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            output.raw(try encoder.encode(payload))
        }
        output.comma()
        output.key("error")
        if let error = self.error {
            output.open()
            output.key("code")
            output.string(error.code)
            if let details = error.details {
                output.comma()
                output.key("details")
                output.list(details) { output, detail in
                    output.open()
                    output.key("field")
                    output.string(detail.field)
                    output.comma()
                    output.key("message")
                    output.string(detail.message)
                    output.close()
                }
            }
            output.comma()
            output.key("message")
            output.string(error.message)
            output.close()
        } else {
            output.raw("null")
        }
        output.comma()
        output.key("links")
        output.open()
        for (index, key) in self.links.keys.sorted().enumerated() {
            if index > 0 { output.comma() }
            output.string(key)
            output.raw(":")
            output.string(self.links[key])
        }
        output.close()
        output.comma()
        output.key("meta")
        output.open()
        output.key("request_id")
        output.string(self.meta.requestID)
        output.comma()
        output.key("revision")
        output.string(self.meta.revision)
        output.comma()
        output.key("status")
        output.integer(self.meta.status)
        output.comma()
        output.key("timestamp")
        output.string(self.meta.timestamp)
        output.comma()
        output.key("trace_id")
        output.string(self.meta.traceID)
        output.comma()
        output.key("version")
        output.string(self.meta.version)
        output.close()
        output.close()
        return output.bytes
    }

    /// A JSON response carrying `data` (or `error`) in the envelope.
    public static func response(
        _ data: Payload?, status: HTTPResponse.Status = .ok, error: APIError? = nil, request: Request, context: AppRequestContext,
        revision: UInt64, links: [String: String] = [:]
    ) throws -> Response {
        let envelope = Envelope(
            meta: EnvelopeMeta(
                requestID: context.requestID.text,
                traceID: context.traceID.text,
                timestamp: Timestamp.format(Date()),
                status: Int(status.code),
                version: "1.0",
                revision: String(revision)
            ),
            context: EnvelopeContext(principalID: context.authentication?.principal.id.text),
            data: data,
            error: error.map { EnvelopeError(code: $0.code, message: $0.message, details: $0.details.isEmpty ? nil : $0.details) },
            links: links.merging(["self": request.uri.description]) { own, _ in own }
        )
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        for method in error?.allow ?? [] {
            headers.append(HTTPField(name: .allow, value: method.rawValue))
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try envelope.serialized())))
    }
}
