import Foundation
internal import Identity
internal import Logging
internal import NIOCore
internal import PostgresNIO
internal import SQLiteNIO

/// The connection a transaction runs on, and the only place that speaks to either driver:
/// binds are stored as `SQLDialect` says, and a unique-constraint violation of either
/// database is the same `conflict`.
enum SQLConnection: Sendable {
    case sqlite(SQLiteConnection)
    case postgres(PostgresConnection, Logger)

    var dialect: SQLDialect {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    func rows(_ statement: SQLStatement) async throws -> [SQLRow] {
        let (sql, binds) = statement.rendered(for: self.dialect)
        switch self {
        case .sqlite(let connection):
            do {
                return try await connection.query(sql, binds.map(Self.sqlite)).map { SQLRow(storage: .sqlite($0)) }
            } catch let error as SQLiteError where error.reason == .constraintUniqueFailed || error.reason == .constraintPrimaryKeyFailed {
                throw IdentityError.conflict("already exists")
            }
        case .postgres(let connection, let logger):
            do {
                var rows: [SQLRow] = []
                for try await row in try await connection.query(Self.postgresQuery(sql, binds), logger: logger) {
                    rows.append(SQLRow(storage: .postgres(row)))
                }
                return rows
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
                throw IdentityError.conflict("already exists")
            }
        }
    }

    /// Feeds `sink` the value `transform` makes of each row, as the database produces it,
    /// holding none of the rows afterwards: how a whole table is read without a copy of all
    /// its rows. After a failure the rest of the rows are read but not transformed.
    func forEachRow<Value: Sendable, State: Sendable>(
        _ statement: SQLStatement,
        into sink: RowSink<Value, State>,
        _ transform: @escaping @Sendable (SQLRow) throws -> Value
    )
        async throws
    {
        let (sql, binds) = statement.rendered(for: self.dialect)
        switch self {
        case .sqlite(let connection):
            try await connection.query(sql, binds.map(Self.sqlite)) { row in
                sink.feed { try transform(SQLRow(storage: .sqlite(row))) }
            }
        case .postgres(let connection, let logger):
            // Rows are handed over on the connection's event loop as they are decoded, not
            // through the row sequence: awaiting each row of a million cost more than reading it.
            _ = try await connection.query(Self.postgresQuery(sql, binds), logger: logger) { row in
                sink.feed { try transform(SQLRow(storage: .postgres(row))) }
            }.get()
        }
    }

    /// The event loop rows arrive on, if they do on one (PostgreSQL's; SQLite reads on a
    /// thread of its own).
    var readingLoop: (any EventLoop)? {
        switch self {
        case .sqlite: nil
        case .postgres(let connection, _): connection.eventLoop
        }
    }

    /// SQLite keeps ids as lower-case text (they sort as they compare), times as integer
    /// microseconds since 1970 (exact and ordered), flags as 0 and 1.
    static func sqlite(_ bind: SQLBind) -> SQLiteData {
        switch bind {
        case .id(let id): id.map { .text($0.uuidString.lowercased()) } ?? .null
        case .text(let text): text.map { .text($0) } ?? .null
        case .integer(let integer): integer.map { .integer(Int($0)) } ?? .null
        case .time(let date): date.map { .integer(Int($0.timeIntervalSince1970 * 1_000_000)) } ?? .null
        case .flag(let flag): flag.map { .integer($0 ? 1 : 0) } ?? .null
        case .bytes(let bytes): bytes.map { .blob(ByteBuffer(bytes: $0)) } ?? .null
        }
    }

    static func postgresQuery(_ sql: String, _ binds: [SQLBind]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds { Self.append(bind, to: &bindings) }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    /// A null keeps its column's type, so `$1 IS NULL` needs no cast.
    static func append(_ bind: SQLBind, to bindings: inout PostgresBindings) {
        switch bind {
        case .id(let id?): bindings.append(id)
        case .text(let text?): bindings.append(text)
        case .integer(let integer?): bindings.append(integer)
        case .time(let date?): bindings.append(date)
        case .flag(let flag?): bindings.append(flag)
        case .bytes(let bytes?): bindings.append(ByteBuffer(bytes: bytes))
        case .id(nil): bindings.append(PostgresData(type: .uuid))
        case .text(nil): bindings.append(PostgresData(type: .text))
        case .integer(nil): bindings.append(PostgresData(type: .int8))
        case .time(nil): bindings.append(PostgresData(type: .timestamptz))
        case .flag(nil): bindings.append(PostgresData(type: .bool))
        case .bytes(nil): bindings.append(PostgresData(type: .bytea))
        }
    }
}
