import Foundation
internal import Hummingbird
import JSON

/// Reads a list route's query parameters as `JSONReader` reads bodies: each problem collected
/// with the parameter's name, so one answer names them all.
struct QueryReader {
    let parameters: Parameters
    private(set) var problems: [FieldError] = []

    init(_ request: Request) {
        self.parameters = request.uri.queryParameters
    }

    mutating func uuid(_ name: String) -> UUID? {
        guard let text = self.parameters[Substring(name)] else { return nil }
        guard let id = UUID(text: String(text)) else {
            self.problems.append(FieldError(field: name, message: "must be a UUID"))
            return nil
        }
        return id
    }

    mutating func timestamp(_ name: String) -> Date? {
        guard let text = self.parameters[Substring(name)] else { return nil }
        guard let date = Timestamp.parse(String(text)) else {
            self.problems.append(FieldError(field: name, message: "must be an RFC 3339 timestamp, like 2026-03-19T12:00:00Z"))
            return nil
        }
        return date
    }

    /// An optional UUID parameter; 400 when it is there but malformed.
    static func uuid(_ request: Request, _ name: String) throws -> UUID? {
        var query = QueryReader(request)
        let id = query.uuid(name)
        guard query.problems.isEmpty else { throw APIError.validation(query.problems) }
        return id
    }

    /// A required UUID parameter: 400 when it is missing or malformed.
    static func requiredUUID(_ request: Request, _ name: String) throws -> UUID {
        guard let id = try Self.uuid(request, name) else { throw APIError.validation([FieldError(field: name, message: "is required")]) }
        return id
    }

    mutating func problem(_ name: String, _ message: String) {
        self.problems.append(FieldError(field: name, message: message))
    }
}
