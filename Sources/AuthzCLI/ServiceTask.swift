import Authz
import Identity
import Logging

/// Work a command does with an identity service, whichever store the database URL names:
/// `serve` and `bootstrap` open the store the same way through `DatabaseURL.withService`.
protocol ServiceTask {
    func run<Store: IdentityStore>(_ service: IdentityService<Store>, logger: Logger) async throws
}
