internal import Workloads
internal import Hummingbird
import Foundation

extension AppRequestContext {
    /// The body of a JSON route: 415 without a JSON content type, 413 above the limit, 400
    /// when it is not JSON.
    func jsonBody(of request: Request) async throws -> JSONValue {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("application/json") else {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type", message: "send Content-Type: application/json")
        }
        let buffer = try await request.body.collect(upTo: self.maxUploadSize)
        return try JSONReader.parse(Array(buffer.readableBytesView))
    }

    /// A UUID path parameter. A malformed id names nothing that exists: 404, like any other
    /// unknown id.
    func pathID(_ name: String) throws -> UUID {
        guard let text = self.parameters.get(name), let id = UUID(text: text) else { throw APIError.notFound() }
        return id
    }
}
