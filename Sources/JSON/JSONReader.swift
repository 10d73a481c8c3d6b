package import Foundation

/// Reads a request body field by field, collecting every problem with its path
/// (`checks[3].resource.id`) instead of stopping at the first, and refusing fields the route
/// does not know. Routes throw `APIError.validation(reader.problems)` when any were found.
package struct JSONReader {
    package private(set) var problems: [FieldError] = []

    package init() {}

    package mutating func problem(_ path: String, _ message: String) {
        self.problems.append(FieldError(field: path, message: message))
    }

    /// The members of an object, after checking that it is one and has no unknown keys.
    package mutating func object(_ value: JSONValue?, at path: String, allowed: Set<String>) -> [String: JSONValue]? {
        guard let value else { return nil }
        guard case .object(let members) = value else {
            self.problem(path, "must be an object, not \(value.kind)")
            return nil
        }
        // Sorted (for a stable report) only when there is something to report.
        if !members.keys.allSatisfy(allowed.contains) {
            for key in members.keys.sorted() where !allowed.contains(key) {
                self.problem(Self.join(path, key), "is not a known field")
            }
        }
        return members
    }

    package mutating func string(_ members: [String: JSONValue]?, _ key: String, at path: String, required: Bool = true) -> String? {
        switch members?[key] {
        case .string(let text)?:
            return text
        case nil, .null?:
            if required && members != nil { self.problem(Self.join(path, key), "is required") }
            return nil
        case let other?:
            self.problem(Self.join(path, key), "must be a string, not \(other.kind)")
            return nil
        }
    }

    package mutating func uuid(_ members: [String: JSONValue]?, _ key: String, at path: String, required: Bool = true) -> UUID? {
        guard let text = self.string(members, key, at: path, required: required) else { return nil }
        guard let id = UUID(text: text) else {
            self.problem(Self.join(path, key), "must be a UUID")
            return nil
        }
        return id
    }

    package mutating func bool(_ members: [String: JSONValue]?, _ key: String, at path: String) -> Bool? {
        switch members?[key] {
        case .bool(let value)?: return value
        case nil, .null?: return nil
        case let other?:
            self.problem(Self.join(path, key), "must be true or false, not \(other.kind)")
            return nil
        }
    }

    /// An RFC 3339 timestamp (`2026-03-19T12:00:00Z`, fractional seconds allowed).
    package mutating func timestamp(_ members: [String: JSONValue]?, _ key: String, at path: String) -> Date? {
        guard let text = self.string(members, key, at: path, required: false) else { return nil }
        guard let date = Timestamp.parse(text) else {
            self.problem(Self.join(path, key), "must be an RFC 3339 timestamp, like 2026-03-19T12:00:00Z")
            return nil
        }
        return date
    }

    /// A list of strings; nil when absent or null.
    package mutating func strings(_ members: [String: JSONValue]?, _ key: String, at path: String) -> [String]? {
        switch members?[key] {
        case .array(let items)?:
            var strings: [String] = []
            for (index, item) in items.enumerated() {
                if case .string(let text) = item {
                    strings.append(text)
                } else {
                    self.problem("\(Self.join(path, key))[\(index)]", "must be a string, not \(item.kind)")
                }
            }
            return strings
        case nil, .null?:
            return nil
        case let other?:
            self.problem(Self.join(path, key), "must be a list of strings, not \(other.kind)")
            return nil
        }
    }

    /// A whole number within `range`; nil when absent or null.
    package mutating func integer(_ members: [String: JSONValue]?, _ key: String, at path: String, in range: ClosedRange<Int>) -> Int? {
        switch members?[key] {
        case .number(let number)? where number == number.rounded() && number >= Double(range.lowerBound) && number <= Double(range.upperBound):
            return Int(number)
        case nil, .null?:
            return nil
        default:
            self.problem(Self.join(path, key), "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
    }

    /// A revision, written as a string of digits (as the API returns them) or a number.
    package mutating func revision(_ members: [String: JSONValue]?, _ key: String, at path: String) -> UInt64? {
        switch members?[key] {
        case .string(let text)? where UInt64(text) != nil: return UInt64(text)
        case .number(let number)? where number >= 0 && number == number.rounded() && number < 9e15: return UInt64(number)
        case nil, .null?: return nil
        default:
            self.problem(Self.join(path, key), "must be a revision, a string of digits")
            return nil
        }
    }

    package static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}
