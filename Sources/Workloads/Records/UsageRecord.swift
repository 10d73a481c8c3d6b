public import Foundation
public import Identity

/// What one provider execution consumed, and who is billed: written in the transaction that
/// records the execution's outcome, so usage is never counted for work that did not finish.
public struct UsageRecord: Hashable, Sendable {
    public let id: UUID
    public let organizationID: UUID
    public let teamID: UUID?
    public let principalID: UUID?
    public let provider: String
    public let units: Int64
    /// `units` times the provider's price per unit, in credits.
    public let cost: Int64
    public let jobID: UUID?
    public let runID: UUID?
    public let createdAt: Date

    public init(
        id: UUID = UUID.timeOrdered(),
        organizationID: UUID,
        teamID: UUID?,
        principalID: UUID?,
        provider: String,
        units: Int64,
        cost: Int64,
        jobID: UUID? = nil,
        runID: UUID? = nil,
        createdAt: Date
    ) {
        self.id = id
        self.organizationID = organizationID
        self.teamID = teamID
        self.principalID = principalID
        self.provider = provider
        self.units = units
        self.cost = cost
        self.jobID = jobID
        self.runID = runID
        self.createdAt = createdAt
    }
}
