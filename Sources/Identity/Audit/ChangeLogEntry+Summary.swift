internal import Foundation

extension ChangeLogEntry {
    /// Every entry is described once, here: the audit log and the event streams read the same
    /// words for the same change.
    public var summary: ChangeSummary {
        func summary(_ action: String, _ type: String, _ id: UUID, _ data: [String: String] = [:]) -> ChangeSummary {
            ChangeSummary(action: action, targetType: type, targetID: id, data: data)
        }
        func text(_ id: UUID) -> String { id.uuidString.lowercased() }
        /// The values that are known; an entry written before a value was recorded has none.
        func known(_ pairs: [(String, String?)]) -> [String: String] {
            Dictionary(pairs.compactMap { key, value in value.map { (key, $0) } }, uniquingKeysWith: { first, _ in first })
        }
        switch self {
        case .principalCreated(let principal, let kind, let platformAdmin):
            return summary("principal.created", "principal", principal, ["kind": kind.rawValue, "platform_admin": String(platformAdmin)])
        case .organizationCreated(let organization, let owner, _):
            return summary("organization.created", "organization", organization, ["owner": text(owner)])
        case .organizationDeleted(let organization, let name, let members, let keys, let jobs, let runs):
            return summary(
                "organization.deleted",
                "organization",
                organization,
                [
                    "name": name, "members": String(members.count), "api_keys": String(keys.count), "jobs_cancelled": String(jobs.count),
                    "workflow_runs_cancelled": String(runs.count),
                ]
            )
        case .memberAdded(_, let principal, let role):
            return summary("member.added", "principal", principal, ["role": role])
        case .memberRoleChanged(_, let principal, let role, let previous):
            return summary("member.role_changed", "principal", principal, known([("role", role), ("previous_role", previous)]))
        case .memberRemoved(_, let principal, let role):
            return summary("member.removed", "principal", principal, known([("role", role)]))
        case .ownershipTransferred(_, let from, let to, _, _):
            return summary("organization.ownership_transferred", "principal", to, ["from": text(from)])
        case .teamCreated(_, let team, let name):
            return summary("team.created", "team", team, known([("name", name)]))
        case .teamRenamed(_, let team, let name, let previous):
            return summary("team.renamed", "team", team, ["name": name, "previous_name": previous])
        case .organizationRenamed(let organization, let name, let previous):
            return summary("organization.renamed", "organization", organization, ["name": name, "previous_name": previous])
        case .teamDeleted(_, let team, let name):
            return summary("team.deleted", "team", team, known([("name", name)]))
        case .teamMemberSet(_, let team, let principal, let role, let previous):
            return summary("team.member_set", "principal", principal, known([("team", text(team)), ("role", role), ("previous_role", previous)]))
        case .teamMemberRemoved(_, let team, let principal, let role):
            return summary("team.member_removed", "principal", principal, known([("team", text(team)), ("role", role)]))
        case .invitationCreated(_, let invitation, let email, let role, let team, let teamRole):
            return summary(
                "invitation.created",
                "invitation",
                invitation,
                known([("email", email), ("role", role), ("team", team.map(text)), ("team_role", teamRole)])
            )
        case .invitationAccepted(_, let invitation, let principal, let role, _, _):
            return summary("invitation.accepted", "invitation", invitation, ["principal": text(principal), "role": role])
        case .invitationRevoked(_, let invitation, let email, let role):
            return summary("invitation.revoked", "invitation", invitation, known([("email", email), ("role", role)]))
        case .resourceCreated(_, let type, let id, let team, _):
            return summary("\(type).created", type, id, team.map { ["team": text($0)] } ?? [:])
        case .resourceDeleted(_, let type, let id):
            return summary("\(type).deleted", type, id)
        case .apiKeyChanged(_, let key):
            return summary("api_key.changed", "api_key", key)
        case .workflowRunChanged(_, let run, let status, let node?):
            return summary("workflow_run.node_\(status)", "workflow_run", run, ["node": node, "status": status])
        case .workflowRunChanged(_, let run, let status, nil):
            return summary("workflow_run.\(status)", "workflow_run", run, ["status": status])
        case .shareRevoked(_, let share):
            return summary("share.revoked", "share", share)
        case .jobChanged(_, let job, let status):
            return summary("job.\(status)", "job", job, ["status": status])
        }
    }
}
