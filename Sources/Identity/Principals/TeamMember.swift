public import Foundation

/// A principal's role in a team (a role name of the policy's team type). Only members of
/// the team's organization can hold one.
public struct TeamMember: Hashable, Sendable, Codable {
    public let teamID: UUID
    public let principalID: UUID
    public let role: String

    public init(teamID: UUID, principalID: UUID, role: String) {
        self.teamID = teamID
        self.principalID = principalID
        self.role = role
    }
}
