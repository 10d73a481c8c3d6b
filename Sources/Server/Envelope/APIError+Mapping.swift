import Foundation
internal import Hummingbird
internal import Identity
import JSON
internal import NIOCore
internal import Workloads

extension APIError {
    /// Every error a route can throw, turned into what the client sees. The one place domain
    /// errors meet API codes: nothing else in the server chooses a code.
    public init(_ error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as IdentityError:
            self = Self.identity(error)
        case let error as ProviderError:
            self = Self.provider(error)
        case BlobStore.UploadError.tooLarge(let limit):
            self = APIError(.contentTooLarge, code: "payload_too_large", message: "the body is larger than this route accepts (\(limit) bytes)")
        case let error as DecodingError:
            self = .validation([Self.fieldError(error)])
        case let error as HTTPError:
            self = Self.http(error)
        case is NIOTooManyBytesError:
            self = Self.http(HTTPError(.contentTooLarge))
        default:
            self = .unexpected
        }
    }

    static func identity(_ error: IdentityError) -> APIError {
        switch error {
        case .notFound(let what): .notFound("no such \(what)")
        case .forbidden(let message): APIError(.forbidden, code: "forbidden", message: message)
        case .conflict(let message): APIError(.conflict, code: "conflict", message: message)
        case .gone(let message): APIError(.gone, code: "gone", message: message)
        case .invalid(let field, let message): .validation([FieldError(field: field, message: message)])
        case .unavailable: APIError(.serviceUnavailable, code: "unavailable", message: "the store is unavailable")
        }
    }

    /// A provider's own failure is the upstream's, not ours: 502, with its message.
    static func provider(_ error: ProviderError) -> APIError {
        switch error {
        case .invalidInput(let field, let message): .validation([FieldError(field: field, message: message)])
        case .failed(let message): APIError(.badGateway, code: "provider_failed", message: message)
        }
    }

    static func http(_ error: HTTPError) -> APIError {
        switch error.status {
        case .notFound: .notFound()
        case .contentTooLarge: APIError(.contentTooLarge, code: "payload_too_large", message: "the body is larger than this route accepts")
        case .unsupportedMediaType: APIError(.unsupportedMediaType, code: "unsupported_media_type", message: "send application/json")
        case .badRequest: .validation([FieldError(field: "", message: error.body ?? "malformed request")])
        case .unauthorized: .unauthorized
        default:
            error.status.code >= 500 ? .unexpected : APIError(error.status, code: "bad_request", message: error.body ?? error.status.reasonPhrase)
        }
    }

    /// The JSON path of a decoding failure: `checks[3].permission`.
    static func fieldError(_ error: DecodingError) -> FieldError {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.reduce(into: "") { path, key in
                if let index = key.intValue {
                    path += "[\(index)]"
                } else {
                    path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            return FieldError(field: path(context.codingPath + [key]), message: "is required")
        case .typeMismatch(let type, let context):
            return FieldError(field: path(context.codingPath), message: "must be \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            return FieldError(field: path(context.codingPath), message: "must be \(Self.describe(type)), not null")
        case .dataCorrupted(let context):
            return FieldError(
                field: path(context.codingPath),
                message: context.codingPath.isEmpty ? "the body is not valid JSON" : context.debugDescription
            )
        @unknown default:
            return FieldError(field: "", message: "malformed request")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is UInt64.Type: "an integer"
        case is Bool.Type: "true or false"
        case is Double.Type: "a number"
        default: "\(type)".lowercased().hasPrefix("array") ? "a list" : "an object"
        }
    }
}
