import Foundation
internal import SQLiteNIO

/// How identity values are stored in SQLite: ids as lower-case text, times as integer
/// microseconds since 1970 (exact, and ordered).
extension SQLiteData {
    init(_ id: UUID) {
        self = .text(id.uuidString.lowercased())
    }

    init(_ id: UUID?) {
        self = id.map { SQLiteData($0) } ?? .null
    }

    init(_ date: Date) {
        self = .integer(Int(date.timeIntervalSince1970 * 1_000_000))
    }

    init(_ date: Date?) {
        self = date.map { SQLiteData($0) } ?? .null
    }

    init(_ text: String?) {
        self = text.map { .text($0) } ?? .null
    }

    var uuid: UUID? {
        self.string.flatMap(UUID.init(uuidString:))
    }

    var date: Date? {
        self.integer.map { Date(timeIntervalSince1970: Double($0) / 1_000_000) }
    }
}

extension SQLiteRow {
    func required<Value>(_ name: String, _ read: (SQLiteData) -> Value?) throws -> Value {
        guard let data = self.column(name), let value = read(data) else {
            throw StoreRowError(column: name)
        }
        return value
    }
}
