/// The compiled policy: every name interned, every role closure computed. It is built once
/// from the policy files and shared by every snapshot, so it is a class: copying a snapshot
/// must not copy the policy's tables.
public final class Policy: Sendable {
    public let permissionNames: [String]
    let permissionIDs: [String: PermissionID]
    public let types: [ResourceType]
    let typeIDs: [String: ResourceTypeID]
    public let organizationType: ResourceTypeID
    public let teamType: ResourceTypeID
    /// The organization role that includes every other one: what a platform admin acts as.
    public let organizationOwner: Role
    let tables: EvaluationTables

    init(
        permissionNames: [String],
        types: [ResourceType],
        organizationType: ResourceTypeID,
        teamType: ResourceTypeID
    ) {
        self.permissionNames = permissionNames
        self.permissionIDs = Dictionary(
            uniqueKeysWithValues: permissionNames.enumerated().map { ($1, PermissionID($0)) }
        )
        self.types = types
        self.typeIDs = Dictionary(uniqueKeysWithValues: types.map { ($0.name, $0.id) })
        self.organizationType = organizationType
        self.teamType = teamType
        let organizationRoles = types[Int(organizationType.rawValue)].roles
        self.organizationOwner = organizationRoles.max { $0.includedRoles.count < $1.includedRoles.count }!
        self.tables = EvaluationTables(
            types: types,
            organizationType: organizationType,
            teamType: teamType,
            ownerRole: self.organizationOwner.id,
            permissionCount: permissionNames.count
        )
    }

    /// The name of the role a reason cites; `creator` for the creator rule.
    public func roleName(of reason: Reason) -> String {
        guard let role = reason.role else { return "creator" }
        return self.types[Int((reason.source == .teamRole ? self.teamType : self.organizationType).rawValue)].roles[Int(role.rawValue)].name
    }

    public func permission(named name: String) -> PermissionID? {
        self.permissionIDs[name]
    }

    public func name(of permission: PermissionID) -> String {
        self.permissionNames[Int(permission.rawValue)]
    }

    public func resourceType(named name: String) -> ResourceType? {
        self.typeIDs[name].map { self.types[Int($0.rawValue)] }
    }

    public func type(_ id: ResourceTypeID) -> ResourceType {
        self.types[Int(id.rawValue)]
    }

    /// The id of a type by name. With `typeName`, `isExternal` and `permission(_:appliesTo:)`
    /// it answers what request parsing needs without copying a `ResourceType` (and retaining
    /// its names, sets and roles) on every request.
    public func resourceTypeID(named name: String) -> ResourceTypeID? {
        self.typeIDs[name]
    }

    public func typeName(_ id: ResourceTypeID) -> String {
        self.types[Int(id.rawValue)].name
    }

    public func isExternal(_ id: ResourceTypeID) -> Bool {
        self.types[Int(id.rawValue)].isExternal
    }

    public func permission(_ permission: PermissionID, appliesTo type: ResourceTypeID) -> Bool {
        self.tables.applies(permission, to: type)
    }

    public var organization: ResourceType { self.type(self.organizationType) }
    public var team: ResourceType { self.type(self.teamType) }

    /// Resolves permission names (an API key's scopes, say); unknown names are returned
    /// separately so the caller can report them.
    public func permissionSet(named names: some Sequence<String>) -> (PermissionSet, unknown: [String]) {
        var set = PermissionSet()
        var unknown: [String] = []
        for name in names {
            if let id = self.permissionIDs[name] {
                set.insert(id)
            } else {
                unknown.append(name)
            }
        }
        return (set, unknown)
    }

    public func names(of permissions: PermissionSet) -> [String] {
        permissions.members.map { self.name(of: $0) }
    }
}
