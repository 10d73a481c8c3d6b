import Authz
import Foundation
import Identity
import Logging
import PostgresNIO
import SQLiteNIO
import Stores
import Synchronization

/// A fresh store of one backend with a service on top: what each store test starts from.
/// SQLite gets a file in a temporary folder, PostgreSQL a database of its own on the server
/// `AUTHZ_TEST_POSTGRES_URL` names (`make test` starts one), so tests run in parallel.
struct StoreHarness<Store: IdentityStore>: Sendable {
    let store: Store
    let service: IdentityService
    let clock: TestClock
    /// Where the data lives, for reopening it: a folder or a database name.
    let location: String
    let stop: @Sendable () async -> Void
    /// Stops this instance and opens the same data afresh: a restart.
    let reopen: @Sendable () async throws -> StoreHarness
    /// Runs SQL on the database behind the service's back: how tests tamper with it.
    let rawSQL: @Sendable (String) async throws -> Void

    func user(_ name: String, admin: Bool = false) async throws -> UUID {
        try await self.service.createPrincipal(
            kind: .user,
            email: "\(name)@example.com",
            name: name,
            externalSubject: "sub|\(name)|\(UUID())",
            platformAdmin: admin
        ).0.id
    }
}

/// The backends the store suite runs on: SQLite always, PostgreSQL when a server is given.
enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    static var enabled: [Backend] {
        ProcessInfo.processInfo.environment["AUTHZ_TEST_POSTGRES_URL"] == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    var description: String { self.rawValue }

    /// Runs the scenario on a fresh store of this backend and removes the store afterwards,
    /// whatever the outcome.
    func run(_ scenario: some StoreScenario, clock: TestClock = TestClock()) async throws {
        switch self {
        case .sqlite:
            let harness = try await StoreHarness<SQLiteIdentityStore>.sqlite(clock: clock)
            try await Self.running(scenario, on: harness)
        case .postgres:
            let harness = try await StoreHarness<PostgresIdentityStore>.postgres(clock: clock)
            try await Self.running(scenario, on: harness)
        }
    }

    private static func running<S>(_ scenario: some StoreScenario, on harness: StoreHarness<S>) async throws {
        do {
            try await scenario.run(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}

/// A store test written once, run on each backend.
protocol StoreScenario: Sendable {
    func run<S: IdentityStore>(_ harness: StoreHarness<S>) async throws
}

extension StoreHarness where Store == SQLiteIdentityStore {
    static func sqlite(folder: String? = nil, clock: TestClock = TestClock()) async throws -> StoreHarness {
        let folder = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("authz-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let store = try await SQLiteIdentityStore.open(path: (folder as NSString).appendingPathComponent("authz.sqlite"))
        let service = try await IdentityService.start(store: store, policy: DefaultPolicy.policy, now: { clock.now })
        return StoreHarness(
            store: store,
            service: service,
            clock: clock,
            location: folder,
            stop: {
                try? await store.close()
                try? FileManager.default.removeItem(atPath: folder)
            },
            reopen: {
                try await store.close()
                return try await Self.sqlite(folder: folder, clock: clock)
            },
            rawSQL: { sql in
                let connection = try await SQLiteConnection.open(storage: .file(path: (folder as NSString).appendingPathComponent("authz.sqlite")))
                do {
                    _ = try await connection.query("PRAGMA busy_timeout = 5000")
                    _ = try await connection.query(sql)
                } catch {
                    try await connection.close()
                    throw error
                }
                try await connection.close()
            }
        )
    }
}

extension StoreHarness where Store == PostgresIdentityStore {
    static func server() throws -> (host: String, port: Int, username: String, password: String?, database: String) {
        guard let text = ProcessInfo.processInfo.environment["AUTHZ_TEST_POSTGRES_URL"],
            case .postgres(let host, let port, let username, let password, let database) = try DatabaseURL(parsing: text)
        else { throw StoreHarnessError.noServer }
        return (host, port, username, password, database)
    }

    /// Runs `body` with a client on the server's maintenance database.
    static func withAdministration(_ body: (PostgresClient) async throws -> Void) async throws {
        let server = try Self.server()
        let client = PostgresIdentityStore.client(
            host: server.host,
            port: server.port,
            username: server.username,
            password: server.password,
            database: server.database,
            logger: Logger(label: "test.admin")
        )
        let running = Task { await client.run() }
        defer { running.cancel() }
        try await body(client)
    }

    /// A new database (or, with `database`, an existing one: a second replica or a restart).
    static func postgres(database: String? = nil, clock: TestClock = TestClock(), pollInterval: Duration = .seconds(1)) async throws -> StoreHarness {
        let server = try Self.server()
        let name = database ?? "authz_test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        if database == nil {
            try await Self.withAdministration { try await $0.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)")) }
        }
        let logger = Logger(label: "test.postgres")
        let client = PostgresIdentityStore.client(
            host: server.host,
            port: server.port,
            username: server.username,
            password: server.password,
            database: name,
            logger: logger
        )
        let running = Task { await client.run() }
        let store = PostgresIdentityStore(client: client, logger: logger, pollInterval: pollInterval)
        let service = try await IdentityService.start(store: store, policy: DefaultPolicy.policy, now: { clock.now })
        return StoreHarness(
            store: store,
            service: service,
            clock: clock,
            location: name,
            stop: {
                running.cancel()
                try? await Self.withAdministration { try await $0.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")) }
            },
            reopen: {
                running.cancel()
                return try await Self.postgres(database: name, clock: clock)
            },
            rawSQL: { sql in try await client.query(PostgresQuery(unsafeSQL: sql)) }
        )
    }

    /// Another process on the same database: its own client, snapshot and follower.
    func replica(pollInterval: Duration = .seconds(1)) async throws -> StoreHarness {
        try await Self.postgres(database: self.location, clock: self.clock, pollInterval: pollInterval)
    }
}

enum StoreHarnessError: Error {
    case noServer
}

/// A clock tests move by hand, so expiry is tested without sleeping.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        self.current = Mutex(start)
    }

    var now: Date { self.current.withLock { $0 } }

    func advance(seconds: Double) {
        self.current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    func advance(hours: Double) {
        self.current.withLock { $0 = $0.addingTimeInterval(hours * 3600) }
    }
}
