/// Resolves declarations across files and enforces the policy rules: known names, no
/// duplicates, acyclic inclusion, grants only of permissions that apply below the role.
struct PolicyResolver {
    typealias TypeDeclaration = PolicyDeclarations.TypeDeclaration

    static let organization = "organization"
    static let team = "team"

    let declarations: PolicyDeclarations
    let defaultFile: String
    var diagnostics: [PolicyDiagnostic] = []

    /// First declaration of each type; later ones are duplicates.
    private(set) var types: [String: TypeDeclaration] = [:]
    /// For each permission, the types it can be checked on.
    private(set) var appliesTo: [String: Set<String>] = [:]
    /// Direct grants per type and role, from roles and from top-level `grants:`.
    private(set) var grants: [String: [String: [Located<String>]]] = [:]

    init(declarations: PolicyDeclarations, defaultFile: String) {
        self.declarations = declarations
        self.defaultFile = defaultFile
    }

    mutating func error(_ location: SourceLocation, _ message: String) {
        self.diagnostics.append(PolicyDiagnostic(location, message))
    }

    mutating func resolve() {
        self.collectTypes()
        self.checkParents()
        self.collectPermissions()
        for type in self.types.values.sorted(by: { $0.name.location < $1.name.location }) {
            self.checkRoles(of: type)
        }
        self.checkTopOrganizationRole()
        self.collectGrants()
    }

    private mutating func collectTypes() {
        for type in self.declarations.types {
            if let first = self.types[type.name.value] {
                self.error(type.name.location, "duplicate resource type '\(type.name.value)' (first declared at \(first.name.location))")
            } else {
                self.types[type.name.value] = type
            }
        }
        for required in [Self.organization, Self.team] {
            guard let type = self.types[required] else {
                self.error(SourceLocation(file: self.defaultFile, line: 1), "the policy must declare the resource type '\(required)'")
                continue
            }
            if type.roles.isEmpty {
                self.error(type.name.location, "'\(required)' must declare at least one role")
            }
        }
    }

    private mutating func checkParents() {
        for type in self.types.values {
            let name = type.name.value
            switch name {
            case Self.organization:
                if let parent = type.parent {
                    self.error(parent.location, "'organization' is the root of every resource and has no parent")
                }
            case Self.team:
                if let parent = type.parent, parent.value != Self.organization {
                    self.error(parent.location, "the parent of 'team' is 'organization'")
                }
            default:
                guard let parent = type.parent else {
                    self.error(type.name.location, "resource type '\(name)' needs a parent: organization or team")
                    continue
                }
                if self.types[parent.value] == nil {
                    self.error(parent.location, "unknown resource type '\(parent.value)' as parent of '\(name)'")
                } else if parent.value != Self.organization && parent.value != Self.team {
                    self.error(
                        parent.location,
                        "the parent of '\(name)' must be organization or team, not '\(parent.value)' (resources nest as resource → team → organization)"
                    )
                }
            }
            if type.isExternal && (name == Self.organization || name == Self.team) {
                self.error(type.name.location, "'\(name)' is stored by the service and cannot be external")
            }
            if !type.roles.isEmpty && name != Self.organization && name != Self.team {
                self.error(
                    type.roles[0].name.location,
                    "roles can only be declared on organization or team, the types memberships attach to; '\(name)' has roles"
                )
            }
        }
    }

    private mutating func collectPermissions() {
        for type in self.types.values {
            var seen: [String: SourceLocation] = [:]
            for permission in type.permissions {
                if let first = seen[permission.value] {
                    self.error(
                        permission.location,
                        "duplicate permission '\(permission.value)' in resource type '\(type.name.value)' (first listed at \(first))"
                    )
                    continue
                }
                seen[permission.value] = permission.location
                self.appliesTo[permission.value, default: []].insert(type.name.value)
            }
        }
        for type in self.types.values {
            let own = Set(type.permissions.map(\.value))
            for permission in type.creator where !own.contains(permission.value) {
                if self.appliesTo[permission.value] == nil {
                    self.error(permission.location, "unknown permission '\(permission.value)' in creator of '\(type.name.value)'")
                } else {
                    self.error(
                        permission.location,
                        "permission '\(permission.value)' is granted to the creator of '\(type.name.value)' but does not apply to '\(type.name.value)'"
                    )
                }
            }
        }
    }

    private mutating func checkRoles(of type: TypeDeclaration) {
        // Role names are keys of one YAML mapping, so the parser already rejected duplicates.
        let roles = Dictionary(type.roles.map { ($0.name.value, $0) }, uniquingKeysWith: { first, _ in first })
        for role in type.roles {
            for included in role.includes where roles[included.value] == nil {
                self.error(included.location, "unknown role '\(included.value)' in includes of '\(type.name.value).\(role.name.value)'")
            }
        }
        // Depth-first search for inclusion cycles; each cycle is reported once, at the role
        // where the search closed it.
        var state: [String: Bool] = [:]  // false: on the current path, true: finished
        var path: [String] = []
        func visit(_ name: String, _ resolver: inout PolicyResolver) {
            state[name] = false
            path.append(name)
            for included in roles[name]?.includes ?? [] where roles[included.value] != nil {
                switch state[included.value] {
                case .none:
                    visit(included.value, &resolver)
                case .some(false):
                    let cycle = path[path.lastIndex(of: included.value)!...] + [included.value]
                    resolver.error(included.location, "role inclusion cycle in '\(type.name.value)': \(cycle.joined(separator: " → "))")
                case .some(true):
                    break
                }
            }
            path.removeLast()
            state[name] = true
        }
        for role in type.roles where state[role.name.value] == nil {
            visit(role.name.value, &self)
        }
    }

    /// Owners and platform admins act as the one organization role that includes all others,
    /// so there must be exactly one.
    private mutating func checkTopOrganizationRole() {
        guard let organization = self.types[Self.organization], !organization.roles.isEmpty else { return }
        var includes: [String: Set<String>] = [:]
        for role in organization.roles {
            includes[role.name.value] = Set(role.includes.map(\.value))
        }
        func reach(_ name: String, _ seen: inout Set<String>) {
            guard seen.insert(name).inserted else { return }
            for next in includes[name] ?? [] { reach(next, &seen) }
        }
        let all = Set(includes.keys)
        let tops = organization.roles.filter { role in
            var seen = Set<String>()
            reach(role.name.value, &seen)
            return seen.isSuperset(of: all)
        }
        if tops.isEmpty {
            self.error(organization.name.location, "one organization role must include all the others (the owner role, which platform admins act as)")
        }
    }

    private mutating func collectGrants() {
        for type in self.types.values {
            for role in type.roles {
                self.addGrants(role.grants, type: type.name.value, role: role.name.value)
            }
        }
        for grant in self.declarations.grants {
            guard let type = self.types[grant.typeName] else {
                self.error(grant.location, "unknown resource type '\(grant.typeName)' in grants")
                continue
            }
            guard type.roles.contains(where: { $0.name.value == grant.roleName }) else {
                self.error(grant.location, "unknown role '\(grant.typeName).\(grant.roleName)' in grants")
                continue
            }
            self.addGrants(grant.permissions, type: grant.typeName, role: grant.roleName)
        }
    }

    private mutating func addGrants(_ permissions: [Located<String>], type: String, role: String) {
        for permission in permissions {
            let existing = self.grants[type, default: [:]][role, default: []]
            if let first = existing.first(where: { $0.value == permission.value }) {
                self.error(permission.location, "duplicate grant of '\(permission.value)' to '\(type).\(role)' (first granted at \(first.location))")
                continue
            }
            guard let targets = self.appliesTo[permission.value] else {
                self.error(
                    permission.location,
                    "unknown permission '\(permission.value)' granted to '\(type).\(role)' (no resource type lists it under permissions)"
                )
                continue
            }
            guard targets.contains(where: { self.isInSubtree($0, of: type) }) else {
                let list = targets.sorted().joined(separator: ", ")
                self.error(
                    permission.location,
                    "permission '\(permission.value)' does not apply to '\(type)' or anything under it (it applies to: \(list)), so '\(type).\(role)' cannot grant it"
                )
                continue
            }
            self.grants[type, default: [:]][role, default: []].append(permission)
        }
    }

    /// Whether a role held on `root` reaches resources of `type`.
    func isInSubtree(_ type: String, of root: String) -> Bool {
        if type == root || root == Self.organization { return true }
        return root == Self.team && self.types[type]?.parent?.value == Self.team
    }
}
