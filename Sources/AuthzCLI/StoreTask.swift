import Identity
import Logging

/// Work a command does with the store alone, whichever database the URL names: `migrate` and
/// `audit verify` need neither the policy folder nor a snapshot.
protocol StoreTask {
    func run(_ store: any IdentityStore, logger: Logger) async throws
}
