public import Foundation

/// What deleting an organization takes with it, read in the deleting transaction: the change
/// log tells every replica about each (members leave, keys stop verifying, work stops), and
/// the asset contents no other organization shares are removed once the deletion commits.
public struct OrganizationDependents: Sendable, Equatable {
    public var members: [UUID]
    public var organizationKeys: [UUID]
    /// Queued or running jobs, and workflow runs not yet finished.
    public var activeJobs: [UUID]
    public var activeRuns: [UUID]
    public var assetDigests: [String]

    public init(members: [UUID], organizationKeys: [UUID], activeJobs: [UUID], activeRuns: [UUID], assetDigests: [String]) {
        self.members = members
        self.organizationKeys = organizationKeys
        self.activeJobs = activeJobs
        self.activeRuns = activeRuns
        self.assetDigests = assetDigests
    }
}
