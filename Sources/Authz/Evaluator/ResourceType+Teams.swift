import Foundation

extension ResourceType {
    /// A resource may belong to a team only if its type sits under teams and the team
    /// (`teamOrganization` is where it lives) is of the resource's own organization.
    func checkTeam(_ team: UUID?, in organization: UUID, teamOrganization: UUID?) throws(SnapshotError) {
        guard let team else { return }
        guard self.parent == .team, teamOrganization == organization else {
            throw .teamNotAllowed(team: team, type: self.name)
        }
    }
}
