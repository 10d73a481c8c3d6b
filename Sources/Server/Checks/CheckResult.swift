internal import Authz
import Foundation
import JSON

/// The answer to one check (docs/API.md §4).
struct CheckResult: Encodable, Sendable {
    struct Reference: Encodable, Sendable {
        /// A stored resource's id is kept as the UUID itself and written straight into the
        /// answer's bytes; an external resource's is the caller's own text.
        enum Identifier: Sendable {
            case uuid(UUID)
            case text(String)

            init(_ reference: ResourceReference) {
                switch reference {
                case .stored(_, let id): self = .uuid(id)
                case .external(_, let id, _, _, _): self = .text(id)
                }
            }
        }

        let type: String
        let id: Identifier

        init(type: String, id: UUID) {
            self.type = type
            self.id = .uuid(id)
        }

        init(type: String, id: Identifier) {
            self.type = type
            self.id = id
        }

        /// The checked resource, as the check named it.
        init(resourceOf item: CheckItem, policy: Policy) {
            self.type = policy.typeName(item.resource.type)
            self.id = Identifier(item.resource)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.type, forKey: .type)
            switch self.id {
            case .uuid(let id): try container.encode(id.text, forKey: .id)
            case .text(let id): try container.encode(id, forKey: .id)
            }
        }

        enum CodingKeys: String, CodingKey {
            case type, id
        }
    }

    struct ReasonBody: Encodable, Sendable {
        let role: String
        let on: Reference
        let viaTeam: String?

        init(role: String, on: Reference, viaTeam: String?) {
            self.role = role
            self.on = on
            self.viaTeam = viaTeam
        }

        /// A decision's reason, named: `resource` is the checked resource as the check named
        /// it, where the creator rule is held.
        init(_ reason: Reason, policy: Policy, resource: Reference) {
            self.role = policy.roleName(of: reason)
            self.on = reason.source == .creator ? resource : Reference(type: policy.typeName(reason.onType), id: reason.onID)
            self.viaTeam = reason.viaTeam?.text
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.role, forKey: .role)
            try container.encode(self.on, forKey: .on)
            try container.encode(self.viaTeam, forKey: .viaTeam)
        }

        enum CodingKeys: String, CodingKey {
            case role, on
            case viaTeam = "via_team"
        }
    }

    struct Grant: Encodable, Sendable {
        let role: String
        let on: Reference
    }

    /// What a result says without its echo (`echo: false` in a batch): the decision, its
    /// reason, the roles that would grant it and the trace.
    struct Verdict: Encodable, Sendable {
        let allowed: Bool
        let reason: ReasonBody?
        let grantableBy: [Grant]?
        let trace: [String]?

        init(_ result: CheckResult) {
            self.allowed = result.allowed
            self.reason = result.reason
            self.grantableBy = result.grantableBy
            self.trace = result.trace
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.allowed, forKey: .allowed)
            try container.encode(self.reason, forKey: .reason)
            try container.encodeIfPresent(self.grantableBy, forKey: .grantableBy)
            try container.encodeIfPresent(self.trace, forKey: .trace)
        }
    }

    let allowed: Bool
    let permission: String
    let resource: Reference
    let subject: Reference
    let reason: ReasonBody?
    /// Only when denied.
    let grantableBy: [Grant]?
    let revision: String
    /// Only when `explain` was asked for.
    let trace: [String]?

    enum CodingKeys: String, CodingKey {
        case allowed, permission, resource, subject, reason, revision, trace
        case grantableBy = "grantable_by"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.allowed, forKey: .allowed)
        try container.encode(self.permission, forKey: .permission)
        try container.encode(self.resource, forKey: .resource)
        try container.encode(self.subject, forKey: .subject)
        try container.encode(self.reason, forKey: .reason)
        try container.encodeIfPresent(self.grantableBy, forKey: .grantableBy)
        try container.encode(self.revision, forKey: .revision)
        try container.encodeIfPresent(self.trace, forKey: .trace)
    }

    init(
        allowed: Bool,
        permission: String,
        resource: Reference,
        subject: Reference,
        reason: ReasonBody?,
        grantableBy: [Grant]?,
        revision: String,
        trace: [String]?
    ) {
        self.allowed = allowed
        self.permission = permission
        self.resource = resource
        self.subject = subject
        self.reason = reason
        self.grantableBy = grantableBy
        self.revision = revision
        self.trace = trace
    }

    init(_ item: CheckItem, subject: UUID, decision: Decision, trace: [TraceStep]?, snapshot: AuthzSnapshot) {
        let policy = snapshot.policy
        self.allowed = decision.allowed
        self.permission = policy.name(of: item.permission)
        let resource = Reference(resourceOf: item, policy: policy)
        self.resource = resource
        self.subject = Reference(type: "principal", id: subject)
        self.reason = decision.reason.map { ReasonBody($0, policy: policy, resource: resource) }
        self.grantableBy = Self.grants(item, decision: decision, snapshot: snapshot)
        self.revision = String(snapshot.revision)
        self.trace = trace.map { $0.map(\.description) }
    }

    /// `grantable_by`: only for a denial, and only inside the resource's organization.
    static func grants(_ item: CheckItem, decision: Decision, snapshot: AuthzSnapshot) -> [Grant]? {
        switch decision.denial {
        case nil:
            return nil
        case .noGrant?, .outsideScopes?:
            // The subject is inside the resource's organization: it may learn which roles there
            // would grant.
            return snapshot.resolve(item.resource).map { resource in
                snapshot.grantableBy(item.permission, on: resource).map {
                    Grant(role: $0.role, on: Reference(type: $0.onType, id: $0.onID))
                }
            } ?? []
        case .notMember?, .resourceNotFound?, .notApplicable?:
            // Outside it, the answer is the one for a resource that does not exist.
            return []
        }
    }
}
