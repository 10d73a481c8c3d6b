public import Authz
import Foundation
public import Identity
public import Logging
public import PostgresNIO

/// The production store: PostgreSQL through PostgresNIO (non-blocking, on NIO's event
/// loops), shared by any number of replicas.
///
/// Writes take one transaction-scoped advisory lock, so revisions are assigned and committed
/// in the same order — a replica that has applied revision N can never later see an N − 1
/// appear. Authorization data changes rarely next to how often it is read, so one writer at
/// a time costs nothing that matters, and it is what makes the change log a total order.
/// Each write also `NOTIFY`s the revision, delivered when it commits.
///
/// The caller owns the `PostgresClient` and runs it (`client.run()`, a swift-service-lifecycle
/// service in the server).
public struct PostgresIdentityStore: IdentityStore {
    public let client: PostgresClient
    let logger: Logger

    /// How often a replica looks at the change log even without a notification.
    let pollInterval: Duration
    /// How long a transaction waits for a connection before it fails as `unavailable`. While
    /// the database is down, PostgresNIO's pool keeps trying to connect and holds every
    /// request until its circuit breaker opens, about a minute later: a write would hang that
    /// long instead of answering 503. (Checks never wait: they read the snapshot.)
    let connectionWait: Duration

    public init(client: PostgresClient, logger: Logger, pollInterval: Duration = .seconds(1), connectionWait: Duration = .seconds(5)) {
        self.client = client
        self.logger = logger
        self.pollInterval = pollInterval
        self.connectionWait = connectionWait
    }

    /// A client for a `postgres://` URL, on loopback or a private network without TLS.
    public static func client(host: String, port: Int, username: String, password: String?, database: String, logger: Logger) -> PostgresClient {
        let configuration = PostgresClient.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: .disable
        )
        return PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    /// One connection, opened and closed within `timeout`: the commands call it before they
    /// start the pool, which would otherwise retry an unreachable server for about a minute
    /// and then report only `connectionCreationCircuitBreakerTripped`.
    public static func probe(
        host: String,
        port: Int,
        username: String,
        password: String?,
        database: String,
        logger: Logger,
        timeout: Duration = .seconds(5)
    ) async throws(DatabaseUnreachable) {
        var configuration = PostgresConnection.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: .disable
        )
        configuration.options.connectTimeout = .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000)
        let place = "PostgreSQL at \(host):\(port) (database \(database), user \(username))"
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try await connection.close()
        } catch let error as PSQLError {
            if let message = error.serverInfo?[.message] {
                throw DatabaseUnreachable(description: "\(place) refused the connection: \(message)")
            }
            let reason = error.underlying.map { "\($0)" } ?? "\(error.code)"
            throw DatabaseUnreachable(description: "cannot reach \(place) within \(timeout.components.seconds) s: \(reason)")
        } catch {
            throw DatabaseUnreachable(description: "cannot reach \(place) within \(timeout.components.seconds) s: \(error)")
        }
    }

    /// Migration runs before the server answers anything, so it waits for a connection as
    /// long as the pool keeps trying rather than `connectionWait`.
    @discardableResult public func migrate() async throws -> [Int] {
        let patience = Duration.seconds(60)
        try await self.transaction(waitingAtMost: patience) { try await $0.createMigrationTable() }
        var appliedNow: [Int] = []
        for step in SQLMigrations.steps where try await self.transaction(waitingAtMost: patience, { try await $0.apply(step) }) {
            appliedNow.append(step.version)
        }
        return appliedNow
    }

    public func write<Result: Sendable>(
        _ body: @escaping @Sendable (any IdentityTransaction) async throws -> (Result, [ChangeLogEntry])
    ) async throws -> (Result, revision: UInt64) {
        try await self.transaction { try await $0.write(body) }
    }

    public func read<Result: Sendable>(_ body: @escaping @Sendable (any IdentityTransaction) async throws -> Result) async throws -> Result {
        try await self.reading(body)
    }

    /// A consistent, read-only view: every statement sees the database as of the first.
    func reading<Result: Sendable>(_ body: @escaping @Sendable (SQLTransaction) async throws -> Result) async throws -> Result {
        try await self.transaction { transaction in
            try await transaction.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            return try await body(transaction)
        }
    }

    public func changes(after revision: UInt64, limit: Int) async throws -> [ChangeRecord] {
        try await self.reading { try await $0.changes(after: revision, limit: limit) }
    }

    public func loadSnapshot(policy: Policy) async throws -> AuthzSnapshot {
        try await self.reading { try await $0.loadSnapshot(policy: policy) }
    }

    /// LISTEN for other writers' revisions, and poll every second in any case: a dropped
    /// connection or a lost notification only delays a replica, never strands it.
    public func watchChanges(_ onChange: @escaping @Sendable () async -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    do {
                        try await self.client.withConnection { connection in
                            try await connection.listen(on: SQLTransaction.notificationChannel) { notifications in
                                for try await _ in notifications {
                                    await onChange()
                                }
                            }
                        }
                    } catch is CancellationError {
                        return
                    } catch {
                        self.logger.warning("change notifications interrupted; polling until they resume", metadata: ["error": "\(error)"])
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: self.pollInterval)
                    await onChange()
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// One transaction; an error thrown by `body` comes out as itself (PostgresNIO wraps it
    /// in a `PostgresTransactionError`, which would hide a domain refusal as a store failure).
    /// Waiting for the connection is bounded by `connectionWait` (`ConnectionLeaseRace`); the
    /// transaction, once it has one, is not (cancelling it midway would leave its outcome
    /// unknown).
    func transaction<Result: Sendable>(
        waitingAtMost wait: Duration? = nil,
        _ body: @escaping @Sendable (SQLTransaction) async throws -> Result
    ) async throws -> Result {
        let (client, logger, wait) = (self.client, self.logger, wait ?? self.connectionWait)
        return try await withCheckedThrowingContinuation { continuation in
            let race = ConnectionLeaseRace(continuation)
            let work = Task {
                do {
                    let result = try await client.withTransaction(logger: logger) { connection in
                        guard race.claim() else { throw CancellationError() }
                        return try await body(SQLTransaction(connection: .postgres(connection, logger)))
                    }
                    race.finish(.success(result))
                } catch let error as PostgresTransactionError {
                    race.finish(.failure(error.closureError ?? error))
                } catch {
                    race.finish(.failure(error))
                }
            }
            race.watch(
                Task {
                    guard (try? await Task.sleep(for: wait)) != nil else { return }
                    // Answered, and the lease withdrawn where the pool lets it be.
                    if race.expire(IdentityError.unavailable("no database connection within \(wait)")) { work.cancel() }
                }
            )
        }
    }

    /// The client belongs to whoever runs it.
    public func close() async throws {}
}
