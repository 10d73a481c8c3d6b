import Foundation

/// A policy test suite's world resolved against a policy: names given ids, memberships and
/// resources turned into snapshot changes, expectations into permission sets.
struct TestWorld {
    struct Target {
        let name: String
        let type: ResourceTypeID
        let reference: ResourceReference
    }

    struct ExpectationKey: Hashable {
        let principal: String
        let resource: String
    }

    struct Allowed {
        /// Nil means every applicable permission (`"*"`).
        let permissions: PermissionSet?
        let location: SourceLocation
    }

    let policy: Policy
    let file: String
    var diagnostics: [PolicyDiagnostic] = []
    var principals: [String: UUID] = [:]
    var names: [String: SourceLocation] = [:]
    var organizations: [String: UUID] = [:]
    var teams: [String: (id: UUID, organization: String)] = [:]
    var targets: [Target] = []
    var changes: [SnapshotChange] = []
    private var counter: UInt64 = 0

    init(policy: Policy, file: String) {
        self.policy = policy
        self.file = file
    }

    mutating func error(_ location: SourceLocation, _ message: String) {
        self.diagnostics.append(PolicyDiagnostic(location, message))
    }

    /// Sequential ids: a failing case reads the same on every run.
    private mutating func nextID() -> UUID {
        self.counter += 1
        var bytes = [UInt8](repeating: 0, count: 16)
        withUnsafeBytes(of: self.counter.bigEndian) { bytes.replaceSubrange(8..<16, with: $0) }
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            )
        )
    }

    private mutating func name(_ name: Located<String>, _ kind: String) -> Bool {
        if let first = self.names[name.value] {
            self.error(name.location, "duplicate name '\(name.value)' for \(kind) (first used at \(first))")
            return false
        }
        self.names[name.value] = name.location
        return true
    }

    private mutating func principal(_ name: Located<String>) -> UUID? {
        guard let id = self.principals[name.value] else {
            self.error(name.location, "unknown principal '\(name.value)' (list it under principals)")
            return nil
        }
        return id
    }

    mutating func declare(_ suite: PolicyTestSuite) {
        for principal in suite.principals where self.name(principal, "a principal") {
            self.principals[principal.value] = self.nextID()
        }
        for admin in suite.platformAdmins {
            if let id = self.principal(admin) { self.changes.append(.platformAdminGranted(id)) }
        }
        for organization in suite.organizations where self.name(organization.name, "an organization") {
            let id = self.nextID()
            self.organizations[organization.name.value] = id
            self.changes.append(.organizationCreated(id))
            self.targets.append(
                Target(
                    name: organization.name.value,
                    type: self.policy.organizationType,
                    reference: .stored(type: self.policy.organizationType, id: id)
                )
            )
            for (principal, role) in organization.members {
                guard let subject = self.principal(principal) else { continue }
                guard self.policy.organization.role(named: role.value) != nil else {
                    self.error(role.location, "unknown organization role '\(role.value)'")
                    continue
                }
                self.changes.append(.memberSet(organization: id, principal: subject, role: role.value))
            }
            for team in organization.teams where self.name(team.name, "a team") {
                let teamID = self.nextID()
                self.teams[team.name.value] = (teamID, organization.name.value)
                self.changes.append(.teamCreated(organization: id, team: teamID))
                self.targets.append(
                    Target(name: team.name.value, type: self.policy.teamType, reference: .stored(type: self.policy.teamType, id: teamID))
                )
                for (principal, role) in team.members {
                    guard let subject = self.principal(principal) else { continue }
                    guard self.policy.team.role(named: role.value) != nil else {
                        self.error(role.location, "unknown team role '\(role.value)'")
                        continue
                    }
                    self.changes.append(.teamMemberSet(team: teamID, principal: subject, role: role.value))
                }
            }
        }
        for resource in suite.resources where self.name(resource.name, "a resource") {
            self.declare(resource)
        }
    }

    private mutating func declare(_ resource: PolicyTestSuite.Resource) {
        guard let typeName = resource.type, let organizationName = resource.organization else { return }
        guard let type = self.policy.resourceType(named: typeName.value) else {
            self.error(typeName.location, "unknown resource type '\(typeName.value)'")
            return
        }
        guard type.id != self.policy.organizationType, type.id != self.policy.teamType else {
            self.error(typeName.location, "declare organizations and teams under organizations, not resources")
            return
        }
        guard let organization = self.organizations[organizationName.value] else {
            self.error(organizationName.location, "unknown organization '\(organizationName.value)'")
            return
        }
        var team: UUID?
        if let teamName = resource.team {
            guard let known = self.teams[teamName.value], known.organization == organizationName.value else {
                self.error(teamName.location, "unknown team '\(teamName.value)' in organization '\(organizationName.value)'")
                return
            }
            guard type.parent == .team else {
                self.error(teamName.location, "a \(type.name) cannot belong to a team")
                return
            }
            team = known.id
        }
        let creator = resource.creator.flatMap { self.principal($0) }
        let id = self.nextID()
        let reference: ResourceReference
        if type.isExternal {
            reference = .external(type: type.id, id: resource.name.value, organization: organization, team: team, owner: creator)
        } else {
            reference = .stored(type: type.id, id: id)
            self.changes.append(.resourceCreated(type: type.name, id: id, organization: organization, team: team, creator: creator))
        }
        self.targets.append(Target(name: resource.name.value, type: type.id, reference: reference))
    }

    mutating func expectations(_ suite: PolicyTestSuite) -> [ExpectationKey: Allowed] {
        var result: [ExpectationKey: Allowed] = [:]
        let targets = Dictionary(self.targets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for expectation in suite.expectations {
            guard self.principals[expectation.principal.value] != nil else {
                self.error(expectation.principal.location, "unknown principal '\(expectation.principal.value)'")
                continue
            }
            guard let target = targets[expectation.resource.value] else {
                self.error(expectation.resource.location, "unknown resource '\(expectation.resource.value)'")
                continue
            }
            let key = ExpectationKey(principal: expectation.principal.value, resource: expectation.resource.value)
            guard result[key] == nil else {
                self.error(expectation.resource.location, "duplicate expectation for '\(key.principal)' on '\(key.resource)'")
                continue
            }
            let type = self.policy.type(target.type)
            if expectation.allowed.contains(where: { $0.value == "*" }) {
                result[key] = Allowed(permissions: nil, location: expectation.resource.location)
                continue
            }
            var permissions = PermissionSet()
            for name in expectation.allowed {
                guard let permission = self.policy.permission(named: name.value) else {
                    self.error(name.location, "unknown permission '\(name.value)'")
                    continue
                }
                guard type.permissions.contains(permission) else {
                    self.error(
                        name.location,
                        "'\(name.value)' does not apply to a \(type.name), so it can never be allowed on '\(expectation.resource.value)'"
                    )
                    continue
                }
                permissions.insert(permission)
            }
            result[key] = Allowed(permissions: permissions, location: expectation.resource.location)
        }
        return result
    }
}
