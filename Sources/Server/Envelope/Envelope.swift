import Foundation
public import HTTPTypes
public import Hummingbird
internal import Identity
import JSON
internal import NIOCore

/// The body of every `/v1` response, success or error (docs/API.md §1).
public struct Envelope<Payload: Encodable & Sendable>: Sendable {
    let meta: EnvelopeMeta
    let context: EnvelopeContext
    let error: EnvelopeError?
    /// `self` is kept apart from the other links: every response has it, and merging it into
    /// a dictionary cost two allocations per request.
    let selfLink: String
    let links: [String: String]

    /// The envelope as bytes, keys in sorted order. Written by hand: for a check, encoding
    /// through `JSONEncoder` cost several times the check itself. `write` writes the payload:
    /// by itself when it is `JSONWritable` (known statically, so the payload is neither cast
    /// nor boxed), else through `JSONEncoder`.
    func serialized(_ data: Payload?, sizeHint: Int = 0, write: (inout JSONOutput, Payload) throws -> Void) throws -> [UInt8] {
        var output = JSONOutput(capacity: 1024 + sizeHint)
        output.open()
        output.field("context", first: true) { output in
            output.open()
            output.field("organization_id", uuid: self.context.organizationID, first: true)
            output.field("principal_id", uuid: self.context.principalID)
            output.field("team_id", uuid: self.context.teamID)
            output.close()
        }
        try output.field("data") { output in
            guard let data else { return output.raw("null") }
            try write(&output, data)
        }
        output.field("error") { output in
            guard let error = self.error else { return output.raw("null") }
            output.open()
            output.field("code", error.code, first: true)
            if let details = error.details {
                output.field("details") { output in
                    output.list(details) { output, detail in
                        output.open()
                        output.field("field", detail.field, first: true)
                        output.field("message", detail.message)
                        output.close()
                    }
                }
            }
            output.field("message", error.message)
            output.close()
        }
        output.field("links") { output in
            output.open()
            if self.links.isEmpty {
                output.field("self", self.selfLink, first: true)
            } else {
                // A link the route gives under `self` wins over the request's own path.
                let keys = self.links.keys.contains("self") ? self.links.keys.sorted() : (self.links.keys + ["self"]).sorted()
                for (index, key) in keys.enumerated() {
                    if index > 0 { output.comma() }
                    output.string(key)
                    output.raw(":")
                    output.string(self.links[key] ?? self.selfLink)
                }
            }
            output.close()
        }
        output.field("meta") { output in
            output.open()
            output.field("request_id", uuid: self.meta.requestID, first: true)
            output.field("revision", self.meta.revision)
            output.field("status") { $0.integer(self.meta.status) }
            output.field("timestamp", self.meta.timestamp)
            output.field("trace_id", uuid: self.meta.traceID)
            output.field("version", self.meta.version)
            output.close()
        }
        output.close()
        return output.bytes
    }

    /// A JSON response carrying `data` (or `error`) in the envelope.
    public static func response(
        _ data: Payload?,
        status: HTTPResponse.Status = .ok,
        error: APIError? = nil,
        request: Request,
        context: AppRequestContext,
        revision: UInt64,
        links: [String: String] = [:]
    ) throws -> Response {
        try self.response(data, status: status, error: error, request: request, context: context, revision: revision, links: links) {
            output,
            payload in
            if let writable = payload as? any JSONWritable {
                writable.write(to: &output)
            } else {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                output.raw(try encoder.encode(payload))
            }
        }
    }

    static func response(
        _ data: Payload?,
        status: HTTPResponse.Status,
        error: APIError?,
        request: Request,
        context: AppRequestContext,
        revision: UInt64,
        links: [String: String],
        sizeHint: Int = 0,
        write: (inout JSONOutput, Payload) throws -> Void
    ) throws -> Response {
        let envelope = Envelope(
            meta: EnvelopeMeta(
                requestID: context.requestID,
                traceID: context.traceID,
                timestamp: Timestamp.format(Date()),
                status: Int(status.code),
                version: "1.0",
                revision: String(revision)
            ),
            context: Self.context(of: context),
            error: error.map { EnvelopeError(code: $0.code, message: $0.message, details: $0.details.isEmpty ? nil : $0.details) },
            selfLink: request.uri.description,
            links: links
        )
        var headers = HTTPFields()
        // Room for what the envelope middleware and the server add (request id, rate limit,
        // content length, date, server), so the list is not grown several times.
        headers.reserveCapacity(10)
        headers.append(HTTPField(name: .contentType, value: "application/json"))
        for method in error?.allow ?? [] {
            headers.append(HTTPField(name: .allow, value: method.rawValue))
        }
        return Response(
            status: status,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try envelope.serialized(data, sizeHint: sizeHint, write: write)))
        )
    }
}

extension Envelope {
    /// Who asked, and the organization and team the request was about once the caller was
    /// allowed to see them (`Authorizer` notes them).
    static func context(of context: AppRequestContext) -> EnvelopeContext {
        let place = context.trace.place
        return EnvelopeContext(
            principalID: context.authentication?.principal.id ?? context.trace.authentication?.principal.id,
            organizationID: place.organization,
            teamID: place.team
        )
    }
}

extension Envelope where Payload: JSONWritable {
    /// The same response for a payload that writes itself, chosen at compile time.
    static func response(
        _ data: Payload?,
        status: HTTPResponse.Status = .ok,
        error: APIError? = nil,
        request: Request,
        context: AppRequestContext,
        revision: UInt64,
        links: [String: String] = [:]
    ) throws -> Response {
        try self.response(
            data,
            status: status,
            error: error,
            request: request,
            context: context,
            revision: revision,
            links: links,
            sizeHint: data?.sizeHint ?? 0
        ) { output, payload in payload.write(to: &output) }
    }
}
