public import Authz
import Foundation
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
    public typealias Transaction = PostgresIdentityTransaction

    public let client: PostgresClient
    let logger: Logger
    static let channel = "authz_changes"
    /// Advisory lock keys: all writes, and schema migration.
    static let writeLock: Int64 = 0x6175_7468_7a01
    static let migrationLock: Int64 = 0x6175_7468_7a02

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
            host: host, port: port, username: username, password: password, database: database, tls: .disable
        )
        return PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    /// One connection, opened and closed within `timeout`: the commands call it before they
    /// start the pool, which would otherwise retry an unreachable server for about a minute
    /// and then report only `connectionCreationCircuitBreakerTripped`.
    public static func probe(
        host: String, port: Int, username: String, password: String?, database: String, logger: Logger, timeout: Duration = .seconds(5)
    ) async throws(DatabaseUnreachable) {
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: .disable)
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

    @discardableResult public func migrate() async throws -> [Int] {
        var appliedNow: [Int] = []
        try await self.client.query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)", logger: self.logger
        )
        for step in PostgresMigrations.steps {
            let ran = try await self.client.withTransaction(logger: self.logger) { connection -> Bool in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: self.logger)
                let applied = try await connection.query("SELECT version FROM schema_migrations WHERE version = \(step.version)", logger: self.logger)
                for try await _ in applied { return false }
                for statement in step.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
                try await connection.query("INSERT INTO schema_migrations (version, applied_at) VALUES (\(step.version), \(Date()))", logger: self.logger)
                return true
            }
            if ran { appliedNow.append(step.version) }
        }
        return appliedNow
    }

    public func write<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresIdentityTransaction) async throws -> (Result, [ChangeLogEntry])
    ) async throws -> (Result, revision: UInt64) {
        try await self.transaction { transaction in
            try await transaction.execute("SELECT pg_advisory_xact_lock(\(Self.writeLock))")
            let (result, entries) = try await body(transaction)
            let latest = try await Self.latestRevision(transaction)
            guard !entries.isEmpty else { return (result, latest) }
            let revision = latest + 1
            let json = String(decoding: try JSONEncoder().encode(entries), as: UTF8.self)
            try await transaction.execute("INSERT INTO change_log (revision, entries, created_at) VALUES (\(Int64(revision)), \(json), \(Date()))")
            try await transaction.execute("SELECT pg_notify(\(Self.channel), \(String(revision)))")
            return (result, revision)
        }
    }

    public func read<Result: Sendable>(_ body: @escaping @Sendable (PostgresIdentityTransaction) async throws -> Result) async throws -> Result {
        try await self.transaction { transaction in
            try await transaction.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            return try await body(transaction)
        }
    }

    public func changes(after revision: UInt64, limit: Int) async throws -> [ChangeRecord] {
        try await self.read { transaction in
            try await transaction.rows(
                "SELECT revision, entries, created_at FROM change_log WHERE revision > \(Int64(revision)) ORDER BY revision LIMIT \(limit)"
            ).map { row in
                ChangeRecord(
                    revision: UInt64(try row["revision"].decode(Int64.self)),
                    entries: try JSONDecoder().decode([ChangeLogEntry].self, from: Data(try row["entries"].decode(String.self).utf8)),
                    createdAt: try row["created_at"].decode(Date.self)
                )
            }
        }
    }

    public func snapshotState() async throws -> (revision: UInt64, changes: [SnapshotChange]) {
        try await self.read { transaction in
            let revision = try await Self.latestRevision(transaction)
            var changes: [SnapshotChange] = []
            for row in try await transaction.rows("SELECT id FROM principals WHERE platform_admin") {
                changes.append(.platformAdminGranted(try row["id"].decode(UUID.self)))
            }
            for row in try await transaction.rows("SELECT id FROM organizations") {
                changes.append(.organizationCreated(try row["id"].decode(UUID.self)))
            }
            for row in try await transaction.rows("SELECT organization_id, principal_id, role FROM memberships") {
                changes.append(
                    .memberSet(
                        organization: try row["organization_id"].decode(UUID.self), principal: try row["principal_id"].decode(UUID.self),
                        role: try row["role"].decode(String.self)
                    )
                )
            }
            for row in try await transaction.rows("SELECT id, organization_id FROM teams") {
                changes.append(.teamCreated(organization: try row["organization_id"].decode(UUID.self), team: try row["id"].decode(UUID.self)))
            }
            for row in try await transaction.rows("SELECT team_id, principal_id, role FROM team_members") {
                changes.append(
                    .teamMemberSet(
                        team: try row["team_id"].decode(UUID.self), principal: try row["principal_id"].decode(UUID.self),
                        role: try row["role"].decode(String.self)
                    )
                )
            }
            for row in try await transaction.rows("SELECT id, organization_id, created_by FROM api_keys WHERE organization_id IS NOT NULL") {
                changes.append(
                    .resourceCreated(
                        type: APIKeyRecord.resourceType, id: try row["id"].decode(UUID.self), organization: try row["organization_id"].decode(UUID.self),
                        team: nil, creator: try row["created_by"].decode(UUID?.self)
                    )
                )
            }
            for row in try await transaction.rows("SELECT id, organization_id, team_id, created_by FROM jobs") {
                changes.append(
                    .resourceCreated(
                        type: Job.resourceType, id: try row["id"].decode(UUID.self), organization: try row["organization_id"].decode(UUID.self),
                        team: try row["team_id"].decode(UUID?.self), creator: try row["created_by"].decode(UUID?.self)
                    )
                )
            }
for row in try await transaction.rows("SELECT id, organization_id, team_id, created_by FROM assets") {
                changes.append(
                    .resourceCreated(
                        type: Asset.resourceType, id: try row["id"].decode(UUID.self), organization: try row["organization_id"].decode(UUID.self),
                        team: try row["team_id"].decode(UUID?.self), creator: try row["created_by"].decode(UUID?.self)
                    )
                )
            }
            for row in try await transaction.rows("SELECT id, organization_id, created_by FROM workflow_definitions") {
                changes.append(
                    .resourceCreated(
                        type: WorkflowDefinition.resourceType, id: try row["id"].decode(UUID.self),
                        organization: try row["organization_id"].decode(UUID.self), team: nil, creator: try row["created_by"].decode(UUID?.self)
                    )
                )
            }
            for row in try await transaction.rows("SELECT id, organization_id, team_id, created_by FROM workflow_runs") {
                changes.append(
                    .resourceCreated(
                        type: WorkflowRun.resourceType, id: try row["id"].decode(UUID.self), organization: try row["organization_id"].decode(UUID.self),
                        team: try row["team_id"].decode(UUID?.self), creator: try row["created_by"].decode(UUID?.self)
                    )
                )
            }
            for row in try await transaction.rows("SELECT id, organization_id, team_id, created_by FROM shares") {
                changes.append(
                    .resourceCreated(
                        type: Share.resourceType, id: try row["id"].decode(UUID.self), organization: try row["organization_id"].decode(UUID.self),
                        team: try row["team_id"].decode(UUID?.self), creator: try row["created_by"].decode(UUID?.self)
                    )
                )
            }
            return (revision, changes)
        }
    }

    /// LISTEN for other writers' revisions, and poll every second in any case: a dropped
    /// connection or a lost notification only delays a replica, never strands it.
    public func watchChanges(_ onChange: @escaping @Sendable () async -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    do {
                        try await self.client.withConnection { connection in
                            try await connection.listen(on: Self.channel) { notifications in
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
    func transaction<Result: Sendable>(_ body: @escaping @Sendable (PostgresIdentityTransaction) async throws -> Result) async throws -> Result {
        let (client, logger, wait) = (self.client, self.logger, self.connectionWait)
        return try await withCheckedThrowingContinuation { continuation in
            let race = ConnectionLeaseRace(continuation)
            let work = Task {
                do {
                    let result = try await client.withTransaction(logger: logger) { connection in
                        guard race.claim() else { throw CancellationError() }
                        return try await body(PostgresIdentityTransaction(connection: connection, logger: logger))
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

    static func latestRevision(_ transaction: PostgresIdentityTransaction) async throws -> UInt64 {
        let rows = try await transaction.rows("SELECT COALESCE(MAX(revision), 0) AS revision FROM change_log")
        return UInt64(try rows.first?["revision"].decode(Int64.self) ?? 0)
    }
}
