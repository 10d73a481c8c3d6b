public import Foundation

/// Which audit records a reader wants; every field narrows, nil fields do not.
public struct AuditFilter: Hashable, Sendable {
    public var organization: UUID?
    public var actor: UUID?
    public var action: String?
    public var outcome: AuditOutcome?
    /// Inclusive.
    public var from: Date?
    /// Exclusive.
    public var to: Date?

    public init(
        organization: UUID? = nil,
        actor: UUID? = nil,
        action: String? = nil,
        outcome: AuditOutcome? = nil,
        from: Date? = nil,
        to: Date? = nil
    ) {
        self.organization = organization
        self.actor = actor
        self.action = action
        self.outcome = outcome
        self.from = from
        self.to = to
    }
}
