import ArgumentParser
import Authz
import Foundation
import Identity
import Logging
import Server

/// `authz bootstrap`: what `serve` does at start, without serving — so a deployment script can
/// create the platform admin (and see its key, once) before the first replica starts.
struct BootstrapCommand: AsyncParsableCommand, ServiceTask {
    static let configuration = CommandConfiguration(
        commandName: "bootstrap",
        abstract: "Create the platform admin: print a new API key once on an empty store, or store --bootstrap-key (AUTHZ_BOOTSTRAP_KEY)."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(
        name: .customLong("bootstrap-key"),
        help: "The platform admin's API key, any string of 32 or more characters (env: AUTHZ_BOOTSTRAP_KEY)."
    )
    var bootstrapKeyFlag: String?

    @Option(help: "The policy folder (env: AUTHZ_POLICIES).")
    var policies: String = ProcessInfo.processInfo.environment["AUTHZ_POLICIES"] ?? "policies"

    var bootstrapKey: String? { self.bootstrapKeyFlag ?? ProcessInfo.processInfo.environment["AUTHZ_BOOTSTRAP_KEY"] }

    func validate() throws {
        if let key = self.bootstrapKey, key.count < 32 { throw ValidationError("--bootstrap-key must be at least 32 characters") }
    }

    func run() async throws {
        try await self.run(databaseURL: self.database.url, policies: self.policies, label: "authz.bootstrap")
    }

    func run(_ service: IdentityService, logger: Logger) async throws {
        let bootstrapped = try await Self.bootstrap(service, configuredKey: self.bootstrapKey)
        switch (bootstrapped, self.bootstrapKey) {
        case (nil, nil): print("A platform admin exists already; its key was shown when it was created and cannot be shown again.")
        case (_, _?): print("The platform admin's key is the configured --bootstrap-key (AUTHZ_BOOTSTRAP_KEY).")
        case (_?, nil): break
        }
    }

    /// A generated key goes to standard output once — never to the log — and is never
    /// retrievable again. Returns what bootstrap did (nil: nothing, an admin existed).
    @discardableResult
    static func bootstrap(_ service: IdentityService, configuredKey: String?) async throws -> BootstrapKey? {
        let bootstrapped = try await service.bootstrap(configuredKey: configuredKey)
        guard let key = bootstrapped?.generated else { return bootstrapped }
        let message = """

            Platform admin API key (shown once; store it now):

                \(key)

            Use it as: Authorization: Bearer <key>


            """
        FileHandle.standardOutput.write(Data(message.utf8))
        return bootstrapped
    }
}
