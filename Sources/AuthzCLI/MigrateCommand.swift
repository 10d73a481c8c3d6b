import ArgumentParser
import Foundation
import Identity
import Logging
import PostgresNIO

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the database schema. Safe to run any number of times, and on several replicas at once."
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let url: DatabaseURL
        do {
            url = try DatabaseURL(parsing: self.database.url)
        } catch {
            if case .invalid(_, let message) = error {
                printError("--database-url: \(message)")
            }
            throw ExitCode.failure
        }
        let applied: [Int]
        switch url {
        case .sqlite(let path):
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            let store = try await SQLiteIdentityStore.open(path: path)
            applied = try await store.migrate()
            try await store.close()
        case .postgres(let host, let port, let username, let password, let database):
            let logger = Logger(label: "authz.migrate")
            let client = PostgresIdentityStore.client(
                host: host, port: port, username: username, password: password, database: database, logger: logger
            )
            let running = Task { await client.run() }
            defer { running.cancel() }
            applied = try await PostgresIdentityStore(client: client, logger: logger).migrate()
        }
        switch applied {
        case []: print("\(url): schema is up to date (nothing to apply)")
        case _ where applied.first == 1: print("\(url): schema created (steps \(applied.map(String.init).joined(separator: ", ")))")
        default: print("\(url): schema upgraded (steps \(applied.map(String.init).joined(separator: ", ")) applied)")
        }
    }
}
