import ArgumentParser
import Authz
import Foundation
import Identity
import Logging
import Server

/// `authz audit verify`: recomputes every audit chain; exits non-zero, naming the first broken
/// entry, when a stored event was edited, removed or reordered.
struct AuditVerifyCommand: AsyncParsableCommand, StoreTask {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every audit chain; exit 1 naming the first broken entry if any event was edited, removed or reordered."
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        // Opening a SQLite file that is not there would create an empty store, and an empty
        // store's log is trivially intact: a mistyped path must not verify.
        let url = try reportingConfigurationErrors { try DatabaseURL(parsing: self.database.url) }
        if case .sqlite(let path) = url, !FileManager.default.fileExists(atPath: path) {
            printError("no store at \(path): nothing to verify (check --database-url)")
            throw ExitCode.failure
        }
        // Read as it is: no migration, no policy, no snapshot.
        try await url.withStore(logger: Logger(label: "authz.audit"), self)
    }

    func run(_ store: any IdentityStore, logger: Logger) async throws {
        let result = try await store.verifyAudit()
        switch result {
        case .intact:
            print(result)
        case .broken:
            printError(result.description)
            throw ExitCode.failure
        }
    }
}
