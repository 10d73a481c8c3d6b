public import Foundation

/// One step the evaluator took, recorded only when a caller asks for an explanation.
public enum TraceStep: Hashable, Sendable, CustomStringConvertible {
    /// `id` as the check named it: a stored resource's UUID or an external resource's own id.
    case resolved(type: String, id: String, organization: UUID, team: UUID?, creator: UUID?)
    /// No such resource, or one outside every organization the subject can see.
    case resourceNotFound(type: String, id: String)
    case notApplicable(permission: String, type: String)
    case scopes(permission: String, contained: Bool)
    case organizationMembership(organization: UUID, role: String?)
    case organizationRole(role: String, grants: Bool)
    case teamRole(team: UUID, role: String?, grants: Bool)
    case creator(isCreator: Bool, grants: Bool)
    case platformAdmin(Bool)

    /// Ids in lower case, as everywhere else in the API (Foundation's `uuidString` is upper).
    public var description: String {
        func text(_ id: UUID) -> String { id.uuidString.lowercased() }
        switch self {
        case .resolved(let type, let id, let organization, let team, let creator):
            var description = "resolved \(type) \(id) in organization \(text(organization))"
            if let team { description += ", team \(text(team))" }
            if let creator { description += ", created by \(text(creator))" }
            return description
        case .resourceNotFound(let type, let id):
            // The same words for a resource that does not exist and one in an organization
            // the subject cannot see.
            return "no \(type) \(id) is visible to the subject"
        case .notApplicable(let permission, let type):
            return "\(permission) cannot be checked on a \(type)"
        case .scopes(let permission, let contained):
            return contained ? "credential scopes include \(permission)" : "credential scopes do not include \(permission)"
        case .organizationMembership(let organization, let role):
            return role.map { "subject is \($0) of organization \(text(organization))" }
                ?? "subject is not a member of organization \(text(organization))"
        case .organizationRole(let role, let grants):
            return "organization role \(role) \(grants ? "grants" : "does not grant") the permission"
        case .teamRole(let team, let role, let grants):
            guard let role else { return "subject is not a member of team \(text(team))" }
            return "team role \(role) in team \(text(team)) \(grants ? "grants" : "does not grant") the permission"
        case .creator(let isCreator, let grants):
            if !isCreator { return "subject is not the resource's creator" }
            return "the creator rule \(grants ? "grants" : "does not grant") the permission"
        case .platformAdmin(let isAdmin):
            return isAdmin ? "subject is a platform admin, owner of every organization" : "subject is not a platform admin"
        }
    }
}
