public import Authz
import Foundation
public import Identity
internal import Logging
internal import SQLiteNIO

/// The embedded store: one SQLite file in WAL mode, nothing to install.
///
/// An actor because it owns the one connection. Transactions suspend while SQLite works on
/// its thread pool, so the actor alone would let a second transaction interleave its
/// statements; a FIFO gate keeps the connection to one transaction at a time.
public actor SQLiteIdentityStore: IdentityStore {
    private let connection: SQLiteConnection
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Opens (creating if needed) the database file; its folder must exist.
    public static func open(path: String) async throws -> SQLiteIdentityStore {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: Logger(label: "authz.sqlite"))
        for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 5000", "PRAGMA synchronous = NORMAL"] {
            _ = try await connection.query(pragma)
        }
        return SQLiteIdentityStore(connection: connection)
    }

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    private func acquire() async {
        if self.busy {
            await withCheckedContinuation { self.waiting.append($0) }
        } else {
            self.busy = true
        }
    }

    /// Hands the connection straight to the next waiter, if any, so none can be overtaken.
    private func release() {
        if self.waiting.isEmpty {
            self.busy = false
        } else {
            self.waiting.removeFirst().resume()
        }
    }

    /// Once the gate is passed, the transaction runs to its end in a task of its own, as on
    /// PostgreSQL. SQLiteNIO's statements are cancellable while they wait for its thread pool, so
    /// a cancelled caller (a client hanging up during a replay) would otherwise have its
    /// statement, then its ROLLBACK, refused, leaving the one connection inside a transaction
    /// and every later BEGIN failing.
    private func exclusively<Result: Sendable>(
        begin: String,
        _ body: @escaping @Sendable (SQLTransaction) async throws -> Result
    ) async throws -> Result {
        await self.acquire()
        defer { self.release() }
        let connection = self.connection
        return try await Task { try await Self.transaction(on: connection, begin: begin, body) }.value
    }

    private static func transaction<Result: Sendable>(
        on connection: SQLiteConnection,
        begin: String,
        _ body: @Sendable (SQLTransaction) async throws -> Result
    ) async throws -> Result {
        _ = try await connection.query(begin)
        do {
            let result = try await body(SQLTransaction(connection: .sqlite(connection)))
            _ = try await connection.query("COMMIT")
            return result
        } catch {
            // The error that failed the transaction is the one reported; a rollback that fails
            // too is logged (the next BEGIN then fails, and says why).
            await Logger(label: "authz.sqlite").attempt("roll back a failed transaction") { _ = try await connection.query("ROLLBACK") }
            throw error
        }
    }

    @discardableResult public func migrate() async throws -> [Int] {
        try await self.exclusively(begin: "BEGIN IMMEDIATE") { try await $0.createMigrationTable() }
        var appliedNow: [Int] = []
        for step in SQLMigrations.steps where try await self.exclusively(begin: "BEGIN IMMEDIATE", { try await $0.apply(step) }) {
            appliedNow.append(step.version)
        }
        return appliedNow
    }

    /// Every write transaction begins `IMMEDIATE`: it holds the one writer's lock from its
    /// first statement, so nothing it read can change before it commits.
    public func write<Result: Sendable>(
        _ body: @escaping @Sendable (any IdentityTransaction) async throws -> (Result, [ChangeLogEntry])
    ) async throws -> (Result, revision: UInt64) {
        try await self.exclusively(begin: "BEGIN IMMEDIATE") { try await $0.write(body) }
    }

    public func read<Result: Sendable>(_ body: @escaping @Sendable (any IdentityTransaction) async throws -> Result) async throws -> Result {
        try await self.exclusively(begin: "BEGIN DEFERRED", body)
    }

    public func changes(after revision: UInt64, limit: Int) async throws -> [ChangeRecord] {
        try await self.exclusively(begin: "BEGIN DEFERRED") { try await $0.changes(after: revision, limit: limit) }
    }

    public func loadSnapshot(policy: Policy) async throws -> AuthzSnapshot {
        try await self.exclusively(begin: "BEGIN DEFERRED") { try await $0.loadSnapshot(policy: policy) }
    }

    /// This process's own writes are applied as they commit; polling covers another process
    /// writing the same file.
    public nonisolated func watchChanges(_ onChange: @escaping @Sendable () async -> Void) async throws {
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(1))
            await onChange()
        }
    }

    public func close() async throws {
        try await self.connection.close()
    }
}
