import ArgumentParser
import Foundation
import Identity
import Logging

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
        try await url.withStore(logger: Logger(label: "authz.migrate"), Migration(url: url))
    }

    struct Migration: StoreTask {
        let url: DatabaseURL

        func run(_ store: any IdentityStore, logger: Logger) async throws {
            let applied = try await store.migrate()
            let url = self.url
            switch applied {
            case []: print("\(url): schema is up to date (nothing to apply)")
            case _ where applied.first == 1: print("\(url): schema created (steps \(applied.map(String.init).joined(separator: ", ")))")
            default: print("\(url): schema upgraded (steps \(applied.map(String.init).joined(separator: ", ")) applied)")
            }
        }
    }
}
