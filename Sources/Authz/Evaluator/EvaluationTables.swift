/// The policy flattened for the check path: every permission set as a row of one `[UInt64]`
/// table, so a check tests a bit instead of copying `ResourceType` and `Role` values (each of
/// which retains a dozen strings, arrays and sets on the way in and releases them on the way
/// out — that, not the lookups, was most of a check's cost).
struct EvaluationTables: Sendable {
    let words: Int
    let organizationType: ResourceTypeID
    let teamType: ResourceTypeID
    let ownerRole: RoleID
    /// Row per resource type: the permissions that can be checked on it.
    let typePermissions: [UInt64]
    /// Row per resource type: what its creator may do.
    let creatorPermissions: [UInt64]
    /// Row per organization role, and per team role: the role's closure.
    let organizationRoles: [UInt64]
    let teamRoles: [UInt64]
    /// Per resource type: whether it can belong to a team.
    let teamOwned: [Bool]

    init(types: [ResourceType], organizationType: ResourceTypeID, teamType: ResourceTypeID, ownerRole: RoleID, permissionCount: Int) {
        let words = max(1, (permissionCount + 63) / 64)
        func table(_ sets: [PermissionSet]) -> [UInt64] {
            sets.flatMap { set in (0..<words).map { $0 < set.words.count ? set.words[$0] : 0 } }
        }
        self.words = words
        self.organizationType = organizationType
        self.teamType = teamType
        self.ownerRole = ownerRole
        self.typePermissions = table(types.map(\.permissions))
        self.creatorPermissions = table(types.map(\.creatorPermissions))
        self.organizationRoles = table(types[Int(organizationType.rawValue)].roles.map(\.permissions))
        self.teamRoles = table(types[Int(teamType.rawValue)].roles.map(\.permissions))
        self.teamOwned = types.map { $0.parent == .team }
    }

    @inline(__always)
    func test(_ table: [UInt64], row: UInt8, _ permission: PermissionID) -> Bool {
        let word = Int(permission.rawValue >> 6)
        guard word < self.words else { return false }
        return table[Int(row) &* self.words &+ word] & (1 &<< UInt64(permission.rawValue & 63)) != 0
    }

    @inline(__always)
    func applies(_ permission: PermissionID, to type: ResourceTypeID) -> Bool {
        self.test(self.typePermissions, row: type.rawValue, permission)
    }

    @inline(__always)
    func creatorMay(_ permission: PermissionID, on type: ResourceTypeID) -> Bool {
        self.test(self.creatorPermissions, row: type.rawValue, permission)
    }

    @inline(__always)
    func organizationRole(_ role: RoleID, grants permission: PermissionID) -> Bool {
        self.test(self.organizationRoles, row: role.rawValue, permission)
    }

    @inline(__always)
    func teamRole(_ role: RoleID, grants permission: PermissionID) -> Bool {
        self.test(self.teamRoles, row: role.rawValue, permission)
    }
}
