public import Authz
public import Foundation

/// What one committed write did, as the change log records it (JSON, next to its revision).
/// It carries what the snapshot and event streams need and nothing secret: no token, key,
/// hash or password is ever part of an entry.
///
/// The optional values (names, emails, previous roles) are the summary an audit record or an
/// event shows a reader; entries written before they existed decode without them.
public enum ChangeLogEntry: Hashable, Sendable, Codable {
    case principalCreated(principal: UUID, kind: PrincipalKind, platformAdmin: Bool)
    case organizationCreated(organization: UUID, owner: UUID, ownerRole: String)
    /// The organization and everything in it are gone. It names what ended with it so that
    /// every replica forgets those keys, ends those members' streams and stops that work; one
    /// entry (one audit record) rather than one per member.
    case organizationDeleted(organization: UUID, name: String, members: [UUID], keys: [UUID], jobs: [UUID], runs: [UUID])
    case memberAdded(organization: UUID, principal: UUID, role: String)
    case memberRoleChanged(organization: UUID, principal: UUID, role: String, previous: String? = nil)
    /// `role` is the one the member held.
    case memberRemoved(organization: UUID, principal: UUID, role: String? = nil)
    /// The new owner takes `ownerRole`; the previous one keeps `previousOwnerRole`.
    case ownershipTransferred(organization: UUID, from: UUID, to: UUID, ownerRole: String, previousOwnerRole: String)
    case teamCreated(organization: UUID, team: UUID, name: String? = nil)
    /// Renames change no access; the audit log and event streams tell the old and new name.
    case teamRenamed(organization: UUID, team: UUID, name: String, previous: String)
    case organizationRenamed(organization: UUID, name: String, previous: String)
    case teamDeleted(organization: UUID, team: UUID, name: String? = nil)
    /// `previous` is the team role it replaced, nil for someone joining.
    case teamMemberSet(organization: UUID, team: UUID, principal: UUID, role: String, previous: String? = nil)
    case teamMemberRemoved(organization: UUID, team: UUID, principal: UUID, role: String? = nil)
    case invitationCreated(
        organization: UUID,
        invitation: UUID,
        email: String? = nil,
        role: String? = nil,
        team: UUID? = nil,
        teamRole: String? = nil
    )
    case invitationAccepted(organization: UUID, invitation: UUID, principal: UUID, role: String, team: UUID?, teamRole: String?)
    case invitationRevoked(organization: UUID, invitation: UUID, email: String? = nil, role: String? = nil)
    /// A stored resource (job, workflow run, asset, share...) came into being.
    case resourceCreated(organization: UUID, type: String, id: UUID, team: UUID?, creator: UUID?)
    /// A stored resource is gone; every grant on it goes with it.
    case resourceDeleted(organization: UUID, type: String, id: UUID)
    /// An API key was revoked, disabled, enabled or rotated: every replica forgets what it had
    /// verified of it. `organization` is nil for a personal key.
    case apiKeyChanged(organization: UUID?, key: UUID)
    /// A job moved to `status`. Changes no access; replicas learn from it that a job they run
    /// was cancelled, and event streams that it moved.
    case jobChanged(organization: UUID, job: UUID, status: String)
    /// A workflow run moved to `status` (or one of its nodes ended, with `node`).
    case workflowRunChanged(organization: UUID, run: UUID, status: String, node: String?)
    /// A share was revoked; its link answers 410 from now on.
    case shareRevoked(organization: UUID, share: UUID)

    /// The tenant the entry belongs to, which decides who may see it as an event.
    public var organizationID: UUID? {
        switch self {
        case .principalCreated: nil
        case .apiKeyChanged(let organization, _): organization
        case .organizationCreated(let organization, _, _), .organizationDeleted(let organization, _, _, _, _, _),
            .memberAdded(let organization, _, _), .memberRoleChanged(let organization, _, _, _),
            .memberRemoved(let organization, _, _), .ownershipTransferred(let organization, _, _, _, _),
            .teamCreated(let organization, _, _), .teamDeleted(let organization, _, _), .teamRenamed(let organization, _, _, _),
            .organizationRenamed(let organization, _, _),
            .teamMemberSet(let organization, _, _, _, _), .teamMemberRemoved(let organization, _, _, _),
            .invitationCreated(let organization, _, _, _, _, _), .invitationAccepted(let organization, _, _, _, _, _),
            .invitationRevoked(let organization, _, _, _), .resourceCreated(let organization, _, _, _, _),
            .jobChanged(let organization, _, _), .resourceDeleted(let organization, _, _),
            .workflowRunChanged(let organization, _, _, _), .shareRevoked(let organization, _):
            organization
        }
    }

    /// What applying the entry does to the authorization snapshot (nothing, for entries that
    /// change no access).
    public var snapshotChanges: [SnapshotChange] {
        switch self {
        case .principalCreated(let principal, _, let platformAdmin):
            platformAdmin ? [.platformAdminGranted(principal)] : []
        case .organizationCreated(let organization, let owner, let ownerRole):
            [.organizationCreated(organization), .memberSet(organization: organization, principal: owner, role: ownerRole)]
        case .organizationDeleted(let organization, _, _, _, _, _):
            [.organizationDeleted(organization)]
        case .memberAdded(let organization, let principal, let role), .memberRoleChanged(let organization, let principal, let role, _):
            [.memberSet(organization: organization, principal: principal, role: role)]
        case .memberRemoved(let organization, let principal, _):
            [.memberRemoved(organization: organization, principal: principal)]
        case .ownershipTransferred(let organization, let from, let to, let ownerRole, let previousOwnerRole):
            [
                .memberSet(organization: organization, principal: to, role: ownerRole),
                .memberSet(organization: organization, principal: from, role: previousOwnerRole),
            ]
        case .teamCreated(let organization, let team, _):
            [.teamCreated(organization: organization, team: team)]
        case .teamDeleted(_, let team, _):
            [.teamDeleted(team: team)]
        case .teamMemberSet(_, let team, let principal, let role, _):
            [.teamMemberSet(team: team, principal: principal, role: role)]
        case .teamMemberRemoved(_, let team, let principal, _):
            [.teamMemberRemoved(team: team, principal: principal)]
        case .invitationCreated, .invitationRevoked, .apiKeyChanged, .jobChanged, .workflowRunChanged, .shareRevoked, .teamRenamed,
            .organizationRenamed:
            []
        case .resourceCreated(let organization, let type, let id, let team, let creator):
            [.resourceCreated(type: type, id: id, organization: organization, team: team, creator: creator)]
        case .resourceDeleted(_, let type, let id):
            [.resourceDeleted(type: type, id: id)]
        case .invitationAccepted(let organization, _, let principal, let role, let team, let teamRole):
            [.memberSet(organization: organization, principal: principal, role: role)]
                + (team.flatMap { team in teamRole.map { [.teamMemberSet(team: team, principal: principal, role: $0)] } } ?? [])
        }
    }
}
