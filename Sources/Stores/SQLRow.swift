import Foundation
internal import Identity
internal import JSON
internal import NIOCore
internal import PostgresNIO
internal import SQLiteNIO

/// A result row of either database, read by column name in the store's own types.
struct SQLRow {
    enum Storage {
        case sqlite(SQLiteRow)
        /// Not `PostgresRandomAccessRow`: making one allocates an array per row and finds a
        /// column by hashing its name, which cost a store's start a fifth of its time. A row
        /// has a handful of columns, found by comparing their (inline) names in turn.
        case postgres(PostgresRow)
    }

    let storage: Storage

    subscript(name: String) -> SQLColumn {
        SQLColumn(name: name, row: self.storage)
    }

    /// The row's columns in the order the statement selects them, read in one pass: how a
    /// store's start reads millions of rows without looking up a column by its name.
    func columns<each Value: SQLDecodable>(_ types: repeat (each Value).Type) throws -> (repeat each Value) {
        switch self.storage {
        case .sqlite(let row):
            var columns = row.columns.makeIterator()
            func next<Column: SQLDecodable>(_: Column.Type) throws -> Column {
                guard let column = columns.next() else { throw StoreRowError(column: "column past the row's end") }
                guard let value = Column.sqlite(column.data) else { throw StoreRowError(column: column.name) }
                return value
            }
            return (repeat try next(each types))
        case .postgres(let row):
            var cells = row.makeIterator()
            func next<Column: SQLDecodable>(_: Column.Type) throws -> Column {
                guard let cell = cells.next() else { throw StoreRowError(column: "column past the row's end") }
                return try Column.postgres(cell)
            }
            return (repeat try next(each types))
        }
    }
}

/// One column of a row; `decode` reads it as a store type, or throws `StoreRowError`.
struct SQLColumn {
    let name: String
    let row: SQLRow.Storage

    func decode<Value: SQLDecodable>(_ type: Value.Type) throws -> Value {
        switch self.row {
        case .sqlite(let row):
            guard let value = Value.sqlite(row.column(self.name) ?? .null) else { throw StoreRowError(column: self.name) }
            return value
        case .postgres(let row):
            guard let cell = row.first(where: { $0.columnName == self.name }) else { throw StoreRowError(column: self.name) }
            return try Value.postgres(cell)
        }
    }
}

/// A type the store reads from a column: how SQLite keeps it (`SQLDialect.sqlite`), and how
/// PostgreSQL's binary format decodes it.
protocol SQLDecodable {
    static func sqlite(_ data: SQLiteData) -> Self?
    static func postgres(_ cell: PostgresCell) throws -> Self
}

extension UUID: SQLDecodable {
    /// Read by table (`UUID(text:)`), not by Foundation's `sscanf`: a store's start reads a
    /// million of them.
    static func sqlite(_ data: SQLiteData) -> UUID? { data.string.flatMap { UUID(text: $0) } }
    static func postgres(_ cell: PostgresCell) throws -> UUID { try cell.decode(UUID.self) }
}

extension String: SQLDecodable {
    static func sqlite(_ data: SQLiteData) -> String? {
        guard case .text(let text) = data else { return nil }
        return text
    }
    static func postgres(_ cell: PostgresCell) throws -> String { try cell.decode(String.self) }
}

extension Int64: SQLDecodable {
    static func sqlite(_ data: SQLiteData) -> Int64? { data.integer.map(Int64.init) }
    static func postgres(_ cell: PostgresCell) throws -> Int64 { try cell.decode(Int64.self) }
}

extension Bool: SQLDecodable {
    static func sqlite(_ data: SQLiteData) -> Bool? { data.integer.map { $0 != 0 } }
    static func postgres(_ cell: PostgresCell) throws -> Bool { try cell.decode(Bool.self) }
}

extension Date: SQLDecodable {
    static func sqlite(_ data: SQLiteData) -> Date? { data.integer.map { Date(timeIntervalSince1970: Double($0) / 1_000_000) } }
    static func postgres(_ cell: PostgresCell) throws -> Date { try cell.decode(Date.self) }
}

extension [UInt8]: SQLDecodable {
    /// SQLite keeps an empty blob as NULL.
    static func sqlite(_ data: SQLiteData) -> [UInt8]? {
        switch data {
        case .blob(let buffer): Array(buffer.readableBytesView)
        case .null: []
        default: nil
        }
    }
    static func postgres(_ cell: PostgresCell) throws -> [UInt8] { Array(try cell.decode(ByteBuffer.self).readableBytesView) }
}

extension Optional: SQLDecodable where Wrapped: SQLDecodable {
    static func sqlite(_ data: SQLiteData) -> Wrapped?? {
        if case .null = data { return .some(nil) }
        return Wrapped.sqlite(data).map { .some($0) }
    }
    static func postgres(_ cell: PostgresCell) throws -> Wrapped? {
        cell.bytes == nil ? nil : try Wrapped.postgres(cell)
    }
}
