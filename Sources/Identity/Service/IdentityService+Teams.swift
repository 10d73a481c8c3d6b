public import Foundation

extension IdentityService {
    public func createTeam(organization: UUID, name: String, audit: AuditContext? = nil) async throws(IdentityError) -> (Team, revision: UInt64) {
        let name = try Organization.validateName(name)
        let now = self.now()
        let team = Team(id: UUID.timeOrdered(at: now), organizationID: organization, name: name, createdAt: now)
        return try await self.perform(audit: audit ?? AuditContext(actorID: nil)) { transaction in
            guard try await transaction.organization(organization) != nil else { throw IdentityError.notFound("organization") }
            do {
                try await transaction.insertTeam(team)
            } catch IdentityError.conflict {
                throw IdentityError.conflict("the organization already has a team named '\(name)'")
            }
            return (team, [.teamCreated(organization: organization, team: team.id, name: team.name)])
        }
    }

    /// A new name for the team, unique in its organization like a new team's.
    public func renameTeam(_ id: UUID, name: String, audit: AuditContext? = nil) async throws(IdentityError) -> (Team, revision: UInt64) {
        let name = try Organization.validateName(name)
        return try await self.perform(audit: audit ?? AuditContext(actorID: nil)) { transaction in
            guard let team = try await transaction.team(id) else { throw IdentityError.notFound("team") }
            guard team.name != name else { return (team, []) }
            do {
                try await transaction.renameTeam(id, name: name)
            } catch IdentityError.conflict {
                throw IdentityError.conflict("the organization already has a team named '\(name)'")
            }
            let renamed = Team(id: team.id, organizationID: team.organizationID, name: name, createdAt: team.createdAt)
            return (renamed, [.teamRenamed(organization: team.organizationID, team: id, name: name, previous: team.name)])
        }
    }

    /// A new display name; the slug, which clients may have stored, stays.
    public func renameOrganization(
        _ id: UUID,
        name: String,
        audit: AuditContext? = nil
    ) async throws(IdentityError) -> (Organization, revision: UInt64) {
        let name = try Organization.validateName(name)
        return try await self.perform(audit: audit ?? AuditContext(actorID: nil)) { transaction in
            guard let organization = try await transaction.organization(id) else { throw IdentityError.notFound("organization") }
            guard organization.name != name else { return (organization, []) }
            try await transaction.renameOrganization(id, name: name)
            let renamed = Organization(id: organization.id, name: name, slug: organization.slug, createdAt: organization.createdAt)
            return (renamed, [.organizationRenamed(organization: id, name: name, previous: organization.name)])
        }
    }

    /// Everything the organization holds goes with it, in one transaction; its audit log stays
    /// (platform admins read it, and `authz audit verify` still verifies its chain). Its change
    /// log entry names the members, keys, jobs and runs that end with it, so every replica
    /// forgets the keys, ends the members' streams and stops the work, and the snapshot drops
    /// the organization with its teams and resources. `cleanUp` runs inside the transaction,
    /// once the rows are gone, with what they held (the asset store removes contents there, as
    /// it does for one asset, so an upload cannot cross it).
    public func deleteOrganization(
        _ id: UUID,
        audit: AuditContext,
        cleanUp: @escaping @Sendable (any IdentityTransaction, OrganizationDependents) async throws -> Void
    ) async throws(IdentityError) -> UInt64 {
        try await self.perform(audit: audit) { transaction in
            try await transaction.lockOrganization(id)
            guard let organization = try await transaction.organization(id) else { throw IdentityError.notFound("organization") }
            let dependents = try await transaction.organizationDependents(id)
            try await transaction.deleteOrganization(id)
            try await cleanUp(transaction, dependents)
            let deleted = ChangeLogEntry.organizationDeleted(
                organization: id,
                name: organization.name,
                members: dependents.members,
                keys: dependents.organizationKeys,
                jobs: dependents.activeJobs,
                runs: dependents.activeRuns
            )
            return ((), [deleted])
        }.revision
    }

    public func team(_ id: UUID) async throws(IdentityError) -> Team? {
        try await self.reading { try await $0.team(id) }
    }

    public func teams(organization: UUID, after: UUID?, limit: Int) async throws(IdentityError) -> [Team] {
        try await self.reading { try await $0.teams(organization: organization, after: after, limit: limit) }
    }

    /// The team's grants end with it; resources it owned keep their organization's.
    public func deleteTeam(_ id: UUID, audit: AuditContext? = nil) async throws(IdentityError) -> UInt64 {
        try await self.perform(audit: audit ?? AuditContext(actorID: nil)) { transaction in
            guard let team = try await transaction.team(id) else { throw IdentityError.notFound("team") }
            try await transaction.deleteTeam(id)
            return ((), [.teamDeleted(organization: team.organizationID, team: id, name: team.name)])
        }.revision
    }

    /// Only members of the team's organization join it, and nobody grants a team role above
    /// their own (see `RoleGrantRule.checkTeamRole`), nor changes the role of someone above.
    public func setTeamMember(
        team teamID: UUID,
        principal: UUID,
        role: String,
        actor: UUID,
        audit: AuditContext? = nil
    ) async throws(IdentityError) -> (TeamMember, revision: UInt64) {
        let policy = self.policy
        return try await self.perform(audit: audit ?? AuditContext(actorID: actor)) { transaction in
            guard let team = try await transaction.team(teamID) else { throw IdentityError.notFound("team") }
            try await transaction.lockOrganization(team.organizationID)
            guard try await transaction.membership(organization: team.organizationID, principal: principal) != nil else {
                throw IdentityError.notFound("member")
            }
            let authority = try await Self.teamAuthority(of: actor, in: team, transaction)
            try RoleGrantRule.checkTeamRole(
                granterOrganizationRole: authority.organizationRole,
                granterTeamRole: authority.teamRole,
                isPlatformAdmin: authority.isPlatformAdmin,
                grants: role,
                policy: policy
            )
            let existing = try await transaction.teamMember(team: teamID, principal: principal)
            if let existing {
                try RoleGrantRule.checkTeamRole(
                    granterOrganizationRole: authority.organizationRole,
                    granterTeamRole: authority.teamRole,
                    isPlatformAdmin: authority.isPlatformAdmin,
                    grants: existing.role,
                    policy: policy
                )
                if existing.role == role { return (existing, []) }
            }
            let member = TeamMember(teamID: teamID, principalID: principal, role: role)
            try await transaction.upsertTeamMember(member)
            return (
                member, [.teamMemberSet(organization: team.organizationID, team: teamID, principal: principal, role: role, previous: existing?.role)]
            )
        }
    }

    /// Members may leave a team; removing someone else needs authority over their team role.
    public func removeTeamMember(team teamID: UUID, principal: UUID, actor: UUID, audit: AuditContext? = nil) async throws(IdentityError) -> UInt64 {
        let policy = self.policy
        return try await self.perform(audit: audit ?? AuditContext(actorID: actor)) { transaction in
            guard let team = try await transaction.team(teamID) else { throw IdentityError.notFound("team") }
            guard let existing = try await transaction.teamMember(team: teamID, principal: principal) else {
                throw IdentityError.notFound("team member")
            }
            if actor != principal {
                let authority = try await Self.teamAuthority(of: actor, in: team, transaction)
                try RoleGrantRule.checkTeamRole(
                    granterOrganizationRole: authority.organizationRole,
                    granterTeamRole: authority.teamRole,
                    isPlatformAdmin: authority.isPlatformAdmin,
                    grants: existing.role,
                    policy: policy
                )
            }
            try await transaction.deleteTeamMember(team: teamID, principal: principal)
            return ((), [.teamMemberRemoved(organization: team.organizationID, team: teamID, principal: principal, role: existing.role)])
        }.revision
    }

    public func teamMembers(team: UUID, after: UUID?, limit: Int) async throws(IdentityError) -> [TeamMember] {
        try await self.reading { try await $0.teamMembers(team: team, after: after, limit: limit) }
    }

    public func teamMemberships(of principal: UUID) async throws(IdentityError) -> [TeamMember] {
        try await self.reading { try await $0.teamMemberships(principal: principal) }
    }

    static func teamAuthority(
        of actor: UUID,
        in team: Team,
        _ transaction: any IdentityTransaction
    ) async throws -> (organizationRole: String?, teamRole: String?, isPlatformAdmin: Bool) {
        let authority = try await Self.authority(of: actor, in: team.organizationID, transaction)
        let teamRole = authority.role == nil ? nil : try await transaction.teamMember(team: team.id, principal: actor)?.role
        return (authority.role, teamRole, authority.isPlatformAdmin)
    }
}
