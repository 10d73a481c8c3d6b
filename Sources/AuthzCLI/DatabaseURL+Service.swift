import ArgumentParser
import Authz
import Foundation
import Identity
import Logging
import PostgresNIO
import Stores

extension DatabaseURL {
    /// Opens the store (creating the SQLite folder, or, for PostgreSQL, first one connection
    /// to fail fast with a plain sentence, then the client, run beside the task and stopped
    /// after it) and runs `task`.
    func withStore(logger: Logger, _ task: some StoreTask) async throws {
        switch self {
        case .sqlite(let path):
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            let store = try await SQLiteIdentityStore.open(path: path)
            do {
                try await task.run(store, logger: logger)
            } catch {
                do { try await store.close() } catch { logger.warning("could not close the store", metadata: ["error": "\(error)"]) }
                throw error
            }
            try await store.close()
        case .postgres(let host, let port, let username, let password, let database):
            do {
                try await PostgresIdentityStore.probe(
                    host: host,
                    port: port,
                    username: username,
                    password: password,
                    database: database,
                    logger: logger
                )
            } catch {
                printError(error.description)
                throw ExitCode.failure
            }
            let client = PostgresIdentityStore.client(
                host: host,
                port: port,
                username: username,
                password: password,
                database: database,
                logger: logger
            )
            // The client runs beside the task and stops after it, so in-flight requests finish
            // with a working store.
            let running = Task { await client.run() }
            defer { running.cancel() }
            try await task.run(PostgresIdentityStore(client: client, logger: logger), logger: logger)
        }
    }

    /// `withStore`, with the schema brought up to date and the snapshot loaded.
    func withService(policy: Policy, logger: Logger, _ task: some ServiceTask) async throws {
        try await self.withStore(logger: logger, ServiceStart(policy: policy, task: task))
    }

    struct ServiceStart<Task: ServiceTask>: StoreTask {
        let policy: Policy
        let task: Task

        func run(_ store: any IdentityStore, logger: Logger) async throws {
            try await self.task.run(try await IdentityService.start(store: store, policy: self.policy), logger: logger)
        }
    }
}
