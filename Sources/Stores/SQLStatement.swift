public import Foundation

/// One SQL statement, written once for both databases: values are interpolated as typed
/// binds (never spliced into the text), and `SQLFragment`s as their dialect's spelling,
/// rendered when the statement runs.
struct SQLStatement: Sendable, ExpressibleByStringInterpolation {
    enum Part: Sendable {
        case sql(String)
        case bind(SQLBind)
        case fragment(SQLFragment)
    }

    var parts: [Part]

    init(stringLiteral value: String) {
        self.parts = [.sql(value)]
    }

    init(stringInterpolation: Interpolation) {
        self.parts = stringInterpolation.parts
    }

    static func + (lhs: SQLStatement, rhs: SQLStatement) -> SQLStatement {
        var joined = lhs
        joined.parts += rhs.parts
        return joined
    }

    /// The text with the dialect's parameter markers (`?`, `$1`…) and fragments, and the
    /// binds in marker order.
    func rendered(for dialect: SQLDialect) -> (sql: String, binds: [SQLBind]) {
        var sql = ""
        var binds: [SQLBind] = []
        for part in self.parts {
            switch part {
            case .sql(let text): sql += text
            case .fragment(let fragment): sql += fragment.sql(dialect)
            case .bind(let bind):
                binds.append(bind)
                sql += dialect == .sqlite ? "?" : "$\(binds.count)"
            }
        }
        return (sql, binds)
    }

    struct Interpolation: StringInterpolationProtocol {
        var parts: [Part] = []

        init(literalCapacity: Int, interpolationCount: Int) {
            self.parts.reserveCapacity(interpolationCount * 2 + 1)
        }

        mutating func appendLiteral(_ literal: String) {
            self.parts.append(.sql(literal))
        }

        mutating func appendInterpolation(_ value: UUID?) { self.parts.append(.bind(.id(value))) }
        mutating func appendInterpolation(_ value: String?) { self.parts.append(.bind(.text(value))) }
        mutating func appendInterpolation(_ value: Int?) { self.parts.append(.bind(.integer(value.map(Int64.init)))) }
        mutating func appendInterpolation(_ value: Int64?) { self.parts.append(.bind(.integer(value))) }
        mutating func appendInterpolation(_ value: Date?) { self.parts.append(.bind(.time(value))) }
        mutating func appendInterpolation(_ value: Bool?) { self.parts.append(.bind(.flag(value))) }
        mutating func appendInterpolation(_ value: [UInt8]?) { self.parts.append(.bind(.bytes(value))) }
        mutating func appendInterpolation(_ fragment: SQLFragment) { self.parts.append(.fragment(fragment)) }

        /// A list for `IN (…)`: one bind each. (An empty list is the caller's to avoid.)
        mutating func appendInterpolation(list ids: [UUID]) {
            for (index, id) in ids.enumerated() {
                if index > 0 { self.parts.append(.sql(", ")) }
                self.parts.append(.bind(.id(id)))
            }
        }
    }
}
