extension PolicyResolver {
    /// Interns names and computes role closures; only called once resolution found nothing
    /// wrong, so every name it looks up exists.
    func build() -> Policy? {
        guard let organization = self.types[Self.organization], let team = self.types[Self.team] else {
            return nil
        }
        let permissionNames = self.appliesTo.keys.sorted()
        let permissionIDs = Dictionary(uniqueKeysWithValues: permissionNames.enumerated().map { ($1, PermissionID($0)) })
        let others = self.types.values.filter { $0.name.value != Self.organization && $0.name.value != Self.team }
            .sorted { $0.name.value < $1.name.value }
        let ordered = [organization, team] + others
        var types: [ResourceType] = []
        for (index, declaration) in ordered.enumerated() {
            let parent: ResourceType.Parent =
                switch declaration.name.value {
                case Self.organization: .none
                case Self.team: .organization
                default: declaration.parent?.value == Self.team ? .team : .organization
                }
            let roles = self.buildRoles(of: declaration, permissionIDs: permissionIDs)
            types.append(
                ResourceType(
                    id: ResourceTypeID(index),
                    name: declaration.name.value,
                    parent: parent,
                    isExternal: declaration.isExternal,
                    permissions: PermissionSet(declaration.permissions.compactMap { permissionIDs[$0.value] }),
                    creatorPermissions: PermissionSet(declaration.creator.compactMap { permissionIDs[$0.value] }),
                    roles: roles,
                    roleIDs: Dictionary(uniqueKeysWithValues: roles.map { ($0.name, $0.id) }),
                    minimalGrantingRoles: Self.minimalGrantingRoles(roles, permissionCount: permissionNames.count),
                    location: declaration.name.location
                )
            )
        }
        return Policy(permissionNames: permissionNames, types: types, organizationType: types[0].id, teamType: types[1].id)
    }

    private func buildRoles(of declaration: TypeDeclaration, permissionIDs: [String: PermissionID]) -> [Role] {
        let declared = declaration.roles
        let ids = Dictionary(declared.enumerated().map { ($1.name.value, RoleID($0)) }, uniquingKeysWith: { first, _ in first })
        let direct = declared.map { role in
            PermissionSet(self.grants[declaration.name.value]?[role.name.value]?.compactMap { permissionIDs[$0.value] } ?? [])
        }
        var included: [Int: Set<RoleID>] = [:]
        func closure(_ index: Int) -> Set<RoleID> {
            if let known = included[index] { return known }
            var result: Set<RoleID> = [RoleID(index)]
            for name in declared[index].includes {
                if let id = ids[name.value] { result.formUnion(closure(Int(id.rawValue))) }
            }
            included[index] = result
            return result
        }
        return declared.enumerated().map { index, role in
            let roles = closure(index)
            let permissions = roles.reduce(PermissionSet()) { $0.union(direct[Int($1.rawValue)]) }
            return Role(
                id: RoleID(index),
                name: role.name.value,
                description: role.description,
                directlyIncludes: role.includes.compactMap { ids[$0.value] },
                includedRoles: roles,
                permissions: permissions,
                location: role.name.location
            )
        }
    }

    /// A role is minimal for a permission when it grants it and none of the roles it includes
    /// does: admin rather than owner for `job.cancel`.
    static func minimalGrantingRoles(_ roles: [Role], permissionCount: Int) -> [[RoleID]] {
        (0..<permissionCount).map { raw in
            let permission = PermissionID(raw)
            return roles.filter { role in
                role.permissions.contains(permission)
                    && !role.includedRoles.contains { $0 != role.id && roles[Int($0.rawValue)].permissions.contains(permission) }
            }.map(\.id)
        }
    }
}
