import Authz
import Foundation
import Identity
import Logging
import PostgresNIO
import Stores
import Synchronization
import Testing

@testable import Server

/// A fresh database on the test server and replicas of the service on it, each with its own
/// store client, snapshot and follower; everything is stopped and the database dropped after
/// `body`, whatever its outcome.
final class ReplicaSet: Sendable {
    let host: String
    let port: Int
    let username: String
    let password: String?
    let name: String
    let policy: Policy
    let logger = Logger(label: "test.replicas")
    private let tasks = Mutex<[Task<Void, Never>]>([])

    init(host: String, port: Int, username: String, password: String?, name: String, policy: Policy) {
        (self.host, self.port, self.username, self.password, self.name, self.policy) = (host, port, username, password, name, policy)
    }

    static func with(_ body: (ReplicaSet) async throws -> Void) async throws {
        guard
            case .postgres(let host, let port, let username, let password, let database) = try DatabaseURL(parsing: ReplicaRevocationTests.serverURL!)
        else {
            Issue.record("AUTHZ_TEST_POSTGRES_URL is not a PostgreSQL URL")
            return
        }
        let name = "authz_replicas_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        let logger = Logger(label: "test.replicas")
        let admin = PostgresIdentityStore.client(host: host, port: port, username: username, password: password, database: database, logger: logger)
        let adminRun = Task { await admin.run() }
        defer { adminRun.cancel() }
        try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        let replicas = ReplicaSet(
            host: host,
            port: port,
            username: username,
            password: password,
            name: name,
            policy: try PolicyDirectory(path: ReplicaRevocationTests.policies).load()
        )
        do {
            try await body(replicas)
        } catch {
            Issue.record(error)
        }
        for task in replicas.tasks.withLock({ $0 }) { task.cancel() }
        try await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
    }

    /// `proxy`, when given, stands between the replica and the server (to take the database
    /// away from this replica alone).
    func replica(
        through proxy: TCPProxy? = nil,
        connectionWait: Duration = .seconds(5),
        pollInterval: Duration = .seconds(1)
    ) async throws -> IdentityService {
        let client = PostgresIdentityStore.client(
            host: proxy == nil ? self.host : "127.0.0.1",
            port: proxy?.port ?? self.port,
            username: self.username,
            password: self.password,
            database: self.name,
            logger: self.logger
        )
        self.keep(Task { await client.run() })
        let store = PostgresIdentityStore(client: client, logger: self.logger, pollInterval: pollInterval, connectionWait: connectionWait)
        let service = try await IdentityService.start(store: store, policy: self.policy)
        self.keep(Task { try? await service.follower.follow() })
        return service
    }

    /// A background task stopped with the set.
    func keep(_ task: Task<Void, Never>) {
        self.tasks.withLock { $0.append(task) }
    }
}
