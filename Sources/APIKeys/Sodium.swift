internal import CSodium

/// libsodium must be initialised once before use; `sodium_init` is itself thread-safe and
/// idempotent, so calling it through a lazily initialised global is enough.
enum Sodium {
    private static let initialized: Bool = sodium_init() >= 0

    static func ensureInitialized() {
        precondition(Self.initialized, "libsodium failed to initialise")
    }
}
