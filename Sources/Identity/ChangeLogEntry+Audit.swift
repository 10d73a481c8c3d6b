public import Foundation

extension ChangeLogEntry {
    /// The audit record of what the entry changed, on behalf of `context`: every mutation of
    /// the identity data is audited from the change it commits, in the same transaction, so no
    /// write path can forget it. Key lifecycle steps write richer records of their own.
    public func auditEvent(_ context: AuditContext, at date: Date) -> AuditEvent? {
        func event(_ action: String, _ type: String, _ id: UUID, _ data: [String: String] = [:]) -> AuditEvent {
            AuditEvent(organizationID: self.organizationID, context: context, action: action, targetType: type, targetID: id, data: data, createdAt: date)
        }
        func text(_ id: UUID) -> String { id.uuidString.lowercased() }
        switch self {
        case .principalCreated(let principal, let kind, let platformAdmin):
            return event("principal.created", "principal", principal, ["kind": kind.rawValue, "platform_admin": String(platformAdmin)])
        case .organizationCreated(let organization, let owner, _):
            return event("organization.created", "organization", organization, ["owner": text(owner)])
        case .organizationDeleted(let organization):
            return event("organization.deleted", "organization", organization)
        case .memberAdded(_, let principal, let role):
            return event("member.added", "principal", principal, ["role": role])
        case .memberRoleChanged(_, let principal, let role):
            return event("member.role_changed", "principal", principal, ["role": role])
        case .memberRemoved(_, let principal):
            return event("member.removed", "principal", principal)
        case .ownershipTransferred(_, let from, let to, _, _):
            return event("organization.ownership_transferred", "principal", to, ["from": text(from)])
        case .teamCreated(_, let team):
            return event("team.created", "team", team)
        case .teamDeleted(_, let team):
            return event("team.deleted", "team", team)
        case .teamMemberSet(_, let team, let principal, let role):
            return event("team.member_set", "principal", principal, ["team": text(team), "role": role])
        case .teamMemberRemoved(_, let team, let principal):
            return event("team.member_removed", "principal", principal, ["team": text(team)])
        case .invitationCreated(_, let invitation):
            return event("invitation.created", "invitation", invitation)
        case .invitationAccepted(_, let invitation, let principal, let role, _, _):
            return event("invitation.accepted", "invitation", invitation, ["principal": text(principal), "role": role])
        case .invitationRevoked(_, let invitation):
            return event("invitation.revoked", "invitation", invitation)
        case .resourceCreated(_, let type, let id, _, _):
            return event("\(type).created", type, id)
        case .apiKeyChanged:
            return nil
        }
    }
}
