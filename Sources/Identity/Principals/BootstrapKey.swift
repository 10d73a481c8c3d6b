public import Foundation

/// The platform admin's key as start-up produced it: to be printed once when it was
/// generated, never stored in clear.
public struct BootstrapKey: Sendable, CustomStringConvertible {
    public let principal: Principal
    /// The key text when this start generated it (print it once); nil when it came from
    /// `AUTHZ_BOOTSTRAP_KEY`, which the operator already knows.
    public let generated: String?

    /// The fixed id of the key record an `AUTHZ_BOOTSTRAP_KEY` is stored under: such a key is
    /// any string, not `azk_<id>_...`, so it cannot name its own record.
    public static let configuredKeyID = UUID(uuidString: "00000000-0000-7000-8000-000000000b00")!

    public var description: String { "bootstrap key for \(self.principal.id) [redacted]" }
}
