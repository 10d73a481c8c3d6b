import Foundation
public import Identity
public import Logging
import PostgresNIO

extension DatabaseURL {
    /// Opens the store the URL names and runs `body` on it: for SQLite its folder created and
    /// the store closed afterwards, also when `body` throws; for PostgreSQL one connection
    /// tried first, so an unreachable server fails within seconds (`DatabaseUnreachable`)
    /// rather than after the pool's minute of retries, then the client run beside `body` and
    /// stopped after it, so requests in flight finish on a working store.
    nonisolated(nonsending) public func withStore(logger: Logger, _ body: (any IdentityStore) async throws -> Void) async throws {
        switch self {
        case .sqlite(let path):
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            let store = try await SQLiteIdentityStore.open(path: path)
            do {
                try await body(store)
            } catch {
                do { try await store.close() } catch { logger.warning("could not close the store", metadata: ["error": "\(error)"]) }
                throw error
            }
            try await store.close()
        case .postgres(let host, let port, let username, let password, let database):
            try await PostgresIdentityStore.probe(host: host, port: port, username: username, password: password, database: database, logger: logger)
            let client = PostgresIdentityStore.client(
                host: host,
                port: port,
                username: username,
                password: password,
                database: database,
                logger: logger
            )
            let running = Task { await client.run() }
            defer { running.cancel() }
            try await body(PostgresIdentityStore(client: client, logger: logger))
        }
    }
}
