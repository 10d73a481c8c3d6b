import Foundation
internal import Hummingbird
import JSON
internal import NIOCore

extension AppRequestContext {
    /// The body of a JSON route: 415 without a JSON content type, 413 above the limit, 400
    /// when it is not JSON.
    ///
    /// `nonisolated(nonsending)`, and the body read with its iterator rather than NIO's
    /// `collect(upTo:)`, so the read stays on the request's task executor (see
    /// `EventLoopGroupTaskExecutor`) and the body's iterator layers run inline.
    nonisolated(nonsending) func jsonBody(of request: Request) async throws -> JSONValue {
        try JSONReader.parse(try await self.jsonBytes(of: request))
    }

    /// The bytes of a JSON route's body, checked as `jsonBody` checks them but not parsed:
    /// for a route that reads its own shape straight from them (check-batch).
    nonisolated(nonsending) func jsonBytes(of request: Request) async throws -> [UInt8] {
        guard let type = request.headers.value(of: .contentType),
            type.utf8.starts(with: "application/json".utf8, by: { (0x41...0x5A ~= $0 ? $0 | 0x20 : $0) == $1 })
        else {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type", message: "send Content-Type: application/json")
        }
        let limit = self.maxUploadSize
        var bytes: [UInt8] = []
        // Sized once from the declared length (bounded by the limit), not grown chunk by chunk.
        if let declared = request.headers.value(of: .contentLength).flatMap({ Int($0) }), declared > 0 {
            bytes.reserveCapacity(min(declared, limit))
        }
        var iterator = request.body.makeAsyncIterator()
        while let buffer = try await iterator.next() {
            guard bytes.count + buffer.readableBytes <= limit else { throw NIOTooManyBytesError(maxBytes: limit) }
            bytes.append(contentsOf: buffer.readableBytesView)
        }
        return bytes
    }

    /// A UUID path parameter. A malformed one is the caller's mistake, told as such (400 with
    /// the parameter's name); it says nothing about what exists, so it reveals nothing.
    func pathID(_ name: String) throws -> UUID {
        guard let text = self.parameters.get(name), let id = UUID(text: text) else {
            throw APIError.validation([FieldError(field: name, message: "must be a UUID")])
        }
        return id
    }
}
