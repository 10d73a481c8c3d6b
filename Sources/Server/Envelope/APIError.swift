public import HTTPTypes
public import JSON

/// An error as the API reports it: a status, a stable code (docs/API.md §1), a message for people
/// and, for validation errors, the fields at fault.
public struct APIError: Error, Equatable, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public let details: [FieldError]
    /// For 405: the methods the path does accept.
    public let allow: [HTTPRequest.Method]
    /// For a refusal by the evaluator: what was refused, for the audit log (never shown).
    public var denied: DeniedAccess?

    public init(
        _ status: HTTPResponse.Status,
        code: String,
        message: String,
        details: [FieldError] = [],
        allow: [HTTPRequest.Method] = []
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.allow = allow
    }

    public static func notFound(_ message: String = "no such resource") -> APIError {
        APIError(.notFound, code: "not_found", message: message)
    }

    public static func validation(_ details: [FieldError]) -> APIError {
        APIError(.badRequest, code: "validation_error", message: "the request is not valid", details: details)
    }

    /// One answer for every credential problem, so it tells an attacker nothing.
    public static let unauthorized = APIError(.unauthorized, code: "unauthorized", message: "missing or invalid credentials")

    public static let unexpected = APIError(.internalServerError, code: "internal_error", message: "internal error")
}
