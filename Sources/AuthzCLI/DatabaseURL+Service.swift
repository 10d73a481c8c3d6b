import Authz
import Foundation
import Identity
import Logging
import PostgresNIO

extension DatabaseURL {
    /// Opens the store (creating the SQLite folder, or running the PostgreSQL client beside
    /// the task and stopping it after), brings the schema up to date, loads the snapshot and
    /// runs `task`.
    func withService(policy: Policy, logger: Logger, _ task: some ServiceTask) async throws {
        switch self {
        case .sqlite(let path):
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            let store = try await SQLiteIdentityStore.open(path: path)
            do {
                try await task.run(try await IdentityService.start(store: store, policy: policy), logger: logger)
            } catch {
                try? await store.close()
                throw error
            }
            try await store.close()
        case .postgres(let host, let port, let username, let password, let database):
            let client = PostgresIdentityStore.client(host: host, port: port, username: username, password: password, database: database, logger: logger)
            // The client runs beside the task and stops after it, so in-flight requests finish
            // with a working store.
            let running = Task { await client.run() }
            defer { running.cancel() }
            try await task.run(try await IdentityService.start(store: PostgresIdentityStore(client: client, logger: logger), policy: policy), logger: logger)
        }
    }
}
