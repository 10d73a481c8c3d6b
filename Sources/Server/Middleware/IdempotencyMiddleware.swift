internal import APIKeys
import Foundation
internal import HTTPTypes
public import Hummingbird
public import Identity
import JSON
internal import Logging
internal import NIOCore

/// `Idempotency-Key` on the routes that create things (docs/API.md §1): the same key and body
/// replay the first response with `Idempotent-Replayed: true`; another body is 409
/// `idempotency_conflict`. Keys belong to the calling principal and last 24 hours.
///
/// The store holds only a hash of the key, and the response sealed (secretbox) under another
/// hash of it: a reply carrying a new API key is never in the database in clear, and only the
/// client holding the idempotency key can have it replayed. Only successes are kept; a failed
/// request changed nothing, so its key may be tried again.
public struct IdempotencyMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    let service: IdentityService
    private let purges = UseThrottle(interval: 3600)

    static var keyHeader: HTTPField.Name { HTTPField.Name("Idempotency-Key")! }
    static var replayedHeader: HTTPField.Name { HTTPField.Name("Idempotent-Replayed")! }

    /// Attached to the routes registered as idempotent (`Routes.on(_:_:idempotent:use:)`).
    init(service: IdentityService) {
        self.service = service
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let key = request.headers[Self.keyHeader] else {
            return try await next(request, context)
        }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw APIError.validation([FieldError(field: "Idempotency-Key", message: "must be 1 to 255 visible ASCII characters")])
        }
        let principal = try context.caller().principal.id
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let material = Array(key.utf8)
        let keyDigest = Digest.blake2b(Array("authz/idempotency/key\0".utf8) + material)
        let sealingKey = Digest.blake2b(Array("authz/idempotency/seal\0".utf8) + material)
        let requestDigest = Digest.blake2b(Array("\(request.method) \(request.uri.path)\0".utf8) + Array(body.readableBytesView))
        self.purgeOccasionally()

        switch try await self.service.beginIdempotentRequest(principal: principal, keyDigest: keyDigest, requestDigest: requestDigest) {
        case .mismatch:
            throw APIError(.conflict, code: "idempotency_conflict", message: "this Idempotency-Key was used with a different request body")
        case .inProgress:
            throw APIError(.conflict, code: "conflict", message: "a request with this Idempotency-Key is still in progress")
        case .replay(let sealed):
            guard let opened = SecretBox.open(sealed, key: sealingKey), let stored = IdempotentResponse(opened) else {
                throw APIError(.conflict, code: "idempotency_conflict", message: "the stored response for this Idempotency-Key cannot be replayed")
            }
            var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
            headers[Self.replayedHeader] = "true"
            let (body, original) = Self.replay(stored.body, context: context)
            if let original { headers[Self.originalRequestHeader] = original }
            return Response(status: stored.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        case .started:
            break
        }
        var forwarded = request
        forwarded.body = RequestBody(buffer: body)
        do {
            var response = try await next(forwarded, context)
            guard (200..<300).contains(response.status.code) else {
                await context.logger.attempt("release an Idempotency-Key after a failed request") {
                    try await self.service.abandonIdempotentRequest(principal: principal, keyDigest: keyDigest)
                }
                return response
            }
            let collector = ResponseBodyCollector()
            try await response.body.write(collector)
            let bytes = collector.bytes
            let sealed = SecretBox.seal(IdempotentResponse(status: response.status, body: bytes).encoded, key: sealingKey)
            try await self.service.completeIdempotentRequest(principal: principal, keyDigest: keyDigest, sealedResponse: sealed)
            response.body = ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
            return response
        } catch {
            await context.logger.attempt("release an Idempotency-Key after a failed request") {
                try await self.service.abandonIdempotentRequest(principal: principal, keyDigest: keyDigest)
            }
            throw error
        }
    }

    /// The first response, as this request's own: its `meta` gets this request's id, trace id
    /// and time (what it says of the data — status, revision — stays the first one's), and the
    /// first request's id is returned for `Original-Request-Id`, as Stripe does.
    static func replay(_ stored: [UInt8], context: Context) -> (body: [UInt8], originalRequestID: String?) {
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(stored)
        } catch {
            // Only envelopes are stored; one that does not parse is replayed as it was.
            context.logger.warning("an idempotent reply is not an envelope", metadata: ["request_id": "\(context.requestID.text)"])
            return (stored, nil)
        }
        guard case .object(var envelope) = parsed, case .object(var meta)? = envelope["meta"] else { return (stored, nil) }
        let original: String? = if case .string(let id)? = meta["request_id"] { id } else { nil }
        meta["request_id"] = .string(context.requestID.text)
        meta["trace_id"] = .string(context.traceID.text)
        meta["timestamp"] = .string(Timestamp.format(Date()))
        envelope["meta"] = .object(meta)
        var output = JSONOutput(capacity: stored.count + 16)
        output.value(.object(envelope))
        return (output.bytes, original)
    }

    static var originalRequestHeader: HTTPField.Name { HTTPField.Name("Original-Request-Id")! }

    static var purgeKey: UUID { UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)) }

    /// At most once an hour per process, off the request path.
    func purgeOccasionally() {
        guard self.purges.isDue(Self.purgeKey, at: Date()) else { return }
        let service = self.service
        Task { await Logger(label: "authz.idempotency").attempt("purge expired idempotency records") { try await service.purgeIdempotencyRecords() } }
    }
}
