public import GRPCCore
internal import HTTPTypes
internal import JSON

extension RPCError {
    /// How an API error reads over gRPC: the one place the HTTP statuses (docs/API.md §1) meet
    /// gRPC's codes. The message keeps the API's code in front (`validation_error: ...`) and
    /// every field path with its problem, so a client can act on it without the envelope.
    public init(_ error: APIError) {
        let code: RPCError.Code =
            switch error.status.code {
            case 400, 422: .invalidArgument
            case 401: .unauthenticated
            case 403: .permissionDenied
            case 404: .notFound
            case 409: .alreadyExists
            case 410: .notFound
            case 413, 429: .resourceExhausted
            case 503: .unavailable
            default: .internalError
            }
        var message = "\(error.code): \(error.message)"
        if !error.details.isEmpty {
            message = error.details.map { $0.field.isEmpty ? $0.message : "\($0.field): \($0.message)" }.joined(separator: "; ")
        }
        self.init(code: code, message: message)
    }

    /// Any error a call raised, as the client sees it (`APIError(_:)` first decides what it
    /// means to the API).
    public static func from(_ error: any Error) -> RPCError {
        if let error = error as? RPCError { return error }
        return RPCError(APIError(error))
    }
}
