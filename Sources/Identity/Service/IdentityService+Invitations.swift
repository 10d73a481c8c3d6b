public import Foundation

extension IdentityService {
    /// Returns the invitation and its token, which is shown once and never stored.
    public func createInvitation(
        organization: UUID,
        email: String,
        role: String,
        team teamID: UUID?,
        teamRole: String?,
        expiresInHours: Int?,
        actor: UUID,
        audit: AuditContext? = nil
    ) async throws(IdentityError) -> (Invitation, InvitationToken, revision: UInt64) {
        guard EmailAddress.isPlausible(email) else { throw .invalid(field: "email", message: "is not an email address") }
        guard (teamID == nil) == (teamRole == nil) else {
            throw .invalid(field: teamID == nil ? "team_id" : "team_role", message: "team_id and team_role go together")
        }
        let now = self.now()
        let expiresAt = try InvitationTerms.expiry(from: now, hours: expiresInHours)
        let token = InvitationToken.generate()
        let policy = self.policy
        let invitation = Invitation(
            id: UUID.timeOrdered(at: now),
            organizationID: organization,
            email: email.trimmingWhitespace(),
            role: role,
            teamID: teamID,
            teamRole: teamRole,
            invitedBy: actor,
            tokenDigest: token.digest,
            createdAt: now,
            expiresAt: expiresAt
        )
        let (created, revision) = try await self.perform(audit: audit ?? AuditContext(actorID: actor)) { transaction in
            try await transaction.lockOrganization(organization)
            guard try await transaction.organization(organization) != nil else { throw IdentityError.notFound("organization") }
            let authority = try await Self.authority(of: actor, in: organization, transaction)
            try RoleGrantRule.check(granterRole: authority.role, isPlatformAdmin: authority.isPlatformAdmin, grants: role, policy: policy)
            if let teamID, let teamRole {
                guard let team = try await transaction.team(teamID), team.organizationID == organization else {
                    throw IdentityError.notFound("team")
                }
                let teamAuthority = try await Self.teamAuthority(of: actor, in: team, transaction)
                try RoleGrantRule.checkTeamRole(
                    granterOrganizationRole: teamAuthority.organizationRole,
                    granterTeamRole: teamAuthority.teamRole,
                    isPlatformAdmin: teamAuthority.isPlatformAdmin,
                    grants: teamRole,
                    policy: policy,
                    field: "team_role"
                )
            }
            if try await transaction.pendingInvitation(organization: organization, email: email, at: now) != nil {
                throw IdentityError.conflict("a pending invitation for this email already exists")
            }
            try await transaction.insertInvitation(invitation)
            return (
                invitation,
                [
                    .invitationCreated(
                        organization: organization,
                        invitation: invitation.id,
                        email: invitation.email,
                        role: invitation.role,
                        team: invitation.teamID,
                        teamRole: invitation.teamRole
                    )
                ]
            )
        }
        return (created, token, revision)
    }

    /// Single use: the check and the marking happen in one transaction, so of two concurrent
    /// accepts exactly one wins and the other finds the invitation used (410). The inviter's
    /// authority is checked again: an inviter demoted since cannot still hand out the role.
    public func acceptInvitation(
        _ id: UUID,
        token: InvitationToken,
        principal: UUID,
        audit: AuditContext? = nil
    ) async throws(IdentityError) -> (Membership, revision: UInt64) {
        let policy = self.policy
        let now = self.now()
        return try await self.perform(audit: audit ?? AuditContext(actorID: principal)) { transaction in
            guard let invitation = try await transaction.invitation(id) else { throw IdentityError.notFound("invitation") }
            try await transaction.lockOrganization(invitation.organizationID)
            guard let accepting = try await transaction.principal(principal) else { throw IdentityError.notFound("principal") }
            try InvitationTerms.checkAcceptance(of: invitation, by: accepting, token: token, at: now)
            let inviter = try await Self.authority(of: invitation.invitedBy, in: invitation.organizationID, transaction)
            try RoleGrantRule.check(granterRole: inviter.role, isPlatformAdmin: inviter.isPlatformAdmin, grants: invitation.role, policy: policy)
            let membership = Membership(organizationID: invitation.organizationID, principalID: principal, role: invitation.role, createdAt: now)
            do {
                try await transaction.insertMembership(membership)
            } catch IdentityError.conflict {
                throw IdentityError.conflict("the principal is already a member")
            }
            // The team may have been deleted since; the organization role still stands.
            var team: UUID?
            if let teamID = invitation.teamID, let teamRole = invitation.teamRole, try await transaction.team(teamID) != nil {
                try await transaction.upsertTeamMember(TeamMember(teamID: teamID, principalID: principal, role: teamRole))
                team = teamID
            }
            try await transaction.markInvitationAccepted(id, by: principal, at: now)
            return (
                membership,
                [
                    .invitationAccepted(
                        organization: invitation.organizationID,
                        invitation: id,
                        principal: principal,
                        role: invitation.role,
                        team: team,
                        teamRole: team == nil ? nil : invitation.teamRole
                    )
                ]
            )
        }
    }

    public func revokeInvitation(_ id: UUID, audit: AuditContext? = nil) async throws(IdentityError) -> (Invitation, revision: UInt64) {
        let now = self.now()
        return try await self.perform(audit: audit ?? AuditContext(actorID: nil)) { transaction in
            guard let invitation = try await transaction.invitation(id) else { throw IdentityError.notFound("invitation") }
            switch invitation.status(at: now) {
            case .pending: break
            case .accepted: throw IdentityError.gone("the invitation was already used")
            case .revoked: throw IdentityError.gone("the invitation was already revoked")
            case .expired: throw IdentityError.gone("the invitation has expired")
            }
            try await transaction.markInvitationRevoked(id, at: now)
            let revoked = try await transaction.invitation(id) ?? invitation
            return (
                revoked, [.invitationRevoked(organization: invitation.organizationID, invitation: id, email: invitation.email, role: invitation.role)]
            )
        }
    }

    public func invitation(_ id: UUID) async throws(IdentityError) -> Invitation? {
        try await self.reading { try await $0.invitation(id) }
    }

    public func invitations(organization: UUID, after: UUID?, limit: Int) async throws(IdentityError) -> [Invitation] {
        try await self.reading { try await $0.invitations(organization: organization, after: after, limit: limit) }
    }
}
