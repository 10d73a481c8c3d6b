import ArgumentParser
import Authz
import Identity
import Logging
import Server

/// Work a command does with an identity service, whichever store the database URL names:
/// `serve` and `bootstrap` open the store the same way through `DatabaseURL.withService`.
protocol ServiceTask {
    func run(_ service: IdentityService, logger: Logger) async throws
}

extension ServiceTask {
    /// Parses the database URL, loads the policy (reporting either's problems on standard
    /// error and exiting 1), then runs the task on the opened store.
    func run(databaseURL: String, policies: String, label: String) async throws {
        let (url, policy) = try reportingConfigurationErrors {
            (try DatabaseURL(parsing: databaseURL), try PolicyDirectory(path: policies).load())
        }
        try await url.withService(policy: policy, logger: Logger(label: label), self)
    }
}
