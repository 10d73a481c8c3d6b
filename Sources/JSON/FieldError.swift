package import Foundation

/// One problem with one field of a request, by its path (`checks[3].permission`).
public struct FieldError: Codable, Equatable, Sendable {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}
