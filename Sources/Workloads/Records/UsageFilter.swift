public import Foundation

/// Which usage records a listing or a summary covers: one organization, optionally one job,
/// between `from` (inclusive) and `to` (exclusive).
public struct UsageFilter: Hashable, Sendable {
    public var organization: UUID
    public var job: UUID?
    public var from: Date?
    public var to: Date?

    public init(organization: UUID, job: UUID? = nil, from: Date? = nil, to: Date? = nil) {
        self.organization = organization
        self.job = job
        self.from = from
        self.to = to
    }
}
