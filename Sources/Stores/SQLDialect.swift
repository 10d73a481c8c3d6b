/// The two SQL databases the store runs on. Every statement is written once; what the two
/// spell differently is named here, as `SQLFragment`s and column types, and nowhere else.
public enum SQLDialect: Sendable {
    /// The embedded default: one file, one writer at a time (each write transaction begins
    /// `IMMEDIATE`), ids as lower-case text and times as integer microseconds.
    case sqlite
    /// Shared by replicas: native uuid, timestamptz, boolean and bytea columns, `$n`
    /// parameter markers, row locks and an advisory lock for the single writer.
    case postgres
}

/// A piece of SQL whose spelling depends on the database.
enum SQLFragment: Sendable {
    /// Column types.
    case id, time, flag, bytes, bigint
    /// The literal false of a flag column.
    case no
    /// A primary key the database numbers itself.
    case serialKey
    /// The change log's revision: numbered by the single writer (SQLite's column has kept
    /// its AUTOINCREMENT from the first release).
    case revisionKey
    /// Skips rows another transaction has locked, so replicas claiming work at once take
    /// different rows; nothing to skip with SQLite's single writer.
    case forUpdateSkipLocked
    /// The hidden identity of a row in a table without a key.
    case rowID
    /// The larger of two values (SQLite's two-argument `MAX`).
    case greatest
    /// The UTC calendar day of the `created_at` time column, as `YYYY-MM-DD`.
    case createdDay

    func sql(_ dialect: SQLDialect) -> String {
        switch (self, dialect) {
        case (.id, .sqlite): "TEXT"
        case (.id, .postgres): "UUID"
        case (.time, .sqlite), (.bigint, .sqlite): "INTEGER"
        case (.time, .postgres): "TIMESTAMPTZ"
        case (.flag, .sqlite): "INTEGER"
        case (.flag, .postgres): "BOOLEAN"
        case (.bytes, .sqlite): "BLOB"
        case (.bytes, .postgres): "BYTEA"
        case (.bigint, .postgres): "BIGINT"
        case (.no, .sqlite): "0"
        case (.no, .postgres): "FALSE"
        case (.serialKey, .sqlite), (.revisionKey, .sqlite): "INTEGER PRIMARY KEY AUTOINCREMENT"
        case (.revisionKey, .postgres): "BIGINT PRIMARY KEY"
        case (.serialKey, .postgres): "BIGSERIAL PRIMARY KEY"
        case (.forUpdateSkipLocked, .sqlite): ""
        case (.forUpdateSkipLocked, .postgres): "FOR UPDATE SKIP LOCKED"
        case (.rowID, .sqlite): "rowid"
        case (.rowID, .postgres): "ctid"
        case (.greatest, .sqlite): "MAX"
        case (.greatest, .postgres): "GREATEST"
        case (.createdDay, .sqlite): "strftime('%Y-%m-%d', created_at / 1000000, 'unixepoch')"
        case (.createdDay, .postgres): "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
        }
    }
}
