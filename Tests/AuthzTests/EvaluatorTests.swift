import Foundation
import Testing

@testable import Authz

@Suite struct EvaluatorTests {
    let w: World

    init() throws {
        self.w = try World()
    }

    @Test func inclusionGrantsLowerRolesPermissions() {
        let decision = w.check(w.owner, "job.read", "job", w.redJob)
        #expect(decision.allowed)
        #expect(
            NamedReason(decision.reason) == NamedReason(source: .organizationRole, role: "owner", onType: "organization", onID: w.acme, viaTeam: nil)
        )
        #expect(w.check(w.admin, "organization.delete", "organization", w.acme).denial == .noGrant)
        #expect(w.check(w.viewer, "job.create", "organization", w.acme).denial == .noGrant)
    }

    @Test func teamScopedGrants() {
        // teamOnly is an org viewer and a member of red: job.create in red, not in the org.
        let inTeam = w.check(w.teamOnly, "job.create", "team", w.red)
        #expect(NamedReason(inTeam.reason) == NamedReason(source: .teamRole, role: "member", onType: "team", onID: w.red, viaTeam: w.red))
        #expect(w.check(w.teamOnly, "job.create", "organization", w.acme).denial == .noGrant)
        #expect(w.check(w.teamOnly, "job.create", "team", w.blue).denial == .noGrant)
        // maintainer cancels red's job, not the organization's.
        #expect(w.check(w.maintainer, "job.cancel", "job", w.redJob).reason.map { Fixtures.defaultPolicy.roleName(of: $0) } == "maintainer")
        #expect(w.check(w.maintainer, "job.cancel", "job", w.orgJob).denial == .noGrant)
    }

    @Test func creatorRule() {
        let decision = w.check(w.teamOnly, "workflow_run.cancel", "workflow_run", w.redRun)
        #expect(NamedReason(decision.reason) == NamedReason(source: .creator, role: "creator", onType: "workflow_run", onID: w.redRun, viaTeam: nil))
        #expect(w.check(w.member, "job.cancel", "job", w.orgJob).reason?.source == .creator)
        #expect(w.check(w.member, "job.cancel", "job", w.redJob).denial == .noGrant)
    }

    @Test func creatorRuleEndsWithMembership() throws {
        let next = try w.snapshot.applying([.memberRemoved(organization: w.acme, principal: w.member)], revision: 2)
        let request = CheckRequest(
            subject: w.member,
            permission: Fixtures.permission("job.cancel"),
            resource: .stored(type: Fixtures.type("job"), id: w.orgJob)
        )
        #expect(next.check(request).denial == .notMember)
    }

    @Test func crossTenantDenial() {
        #expect(w.check(w.outsider, "job.read", "job", w.redJob).denial == .notMember)
        #expect(w.check(w.owner, "job.read", "job", w.globexJob).denial == .notMember)
        #expect(w.check(w.owner, "team.read", "team", w.green).denial == .notMember)
        #expect(w.check(w.owner, "organization.read", "organization", w.globex).denial == .notMember)
        #expect(w.check(w.outsider, "organization.read", "organization", w.globex).allowed)
    }

    /// A caller-described resource cannot borrow a team of another organization.
    @Test func externalResourceCannotUseAnotherTenantsTeam() {
        let snapshot = w.snapshot
        let read = Fixtures.permission("document.read")
        let document = Fixtures.type("document")
        let inGreen = snapshot.check(
            CheckRequest(
                subject: w.outsider,
                permission: read,
                resource: .external(type: document, id: "doc-1", organization: w.acme, team: w.green, owner: nil)
            )
        )
        #expect(inGreen.denial == .notMember)
        let resolved = snapshot.resolve(.external(type: document, id: "doc-1", organization: w.acme, team: w.green, owner: nil))
        #expect(resolved?.team == nil)
        let ownDocument = snapshot.check(
            CheckRequest(
                subject: w.teamMember,
                permission: Fixtures.permission("document.delete"),
                resource: .external(type: document, id: "doc-1", organization: w.acme, team: w.red, owner: w.teamMember)
            )
        )
        #expect(ownDocument.reason?.source == .creator)
    }

    @Test func scopeNarrowing() {
        #expect(w.check(w.owner, "job.read", "job", w.redJob, scopes: ["job.read"]).allowed)
        #expect(w.check(w.owner, "job.cancel", "job", w.redJob, scopes: ["job.read"]).denial == .outsideScopes)
        // Scopes narrow, never widen.
        #expect(w.check(w.viewer, "job.cancel", "job", w.redJob, scopes: ["job.cancel"]).denial == .noGrant)
        #expect(w.check(w.owner, "job.read", "job", w.redJob, scopes: []).denial == .outsideScopes)
    }

    @Test func platformAdminActsAsOwnerEverywhere() {
        let decision = w.check(w.root, "organization.delete", "organization", w.globex)
        #expect(
            NamedReason(decision.reason) == NamedReason(source: .platformAdmin, role: "owner", onType: "organization", onID: w.globex, viaTeam: nil)
        )
        #expect(w.check(w.root, "job.cancel", "job", w.redJob).allowed)
    }

    @Test func unknownResourceAndInapplicablePermission() {
        #expect(w.check(w.owner, "job.read", "job", UUID()).denial == .resourceNotFound)
        // The same id under another type is another (absent) resource.
        #expect(w.check(w.owner, "asset.read", "asset", w.redJob).denial == .resourceNotFound)
        #expect(w.check(w.owner, "job.cancel", "organization", w.acme).denial == .notApplicable)
    }

    @Test func grantableBy() throws {
        let snapshot = w.snapshot
        let job = try #require(snapshot.resolve(.stored(type: Fixtures.type("job"), id: w.redJob)))
        #expect(
            snapshot.grantableBy(Fixtures.permission("job.cancel"), on: job) == [
                GrantableRole(role: "admin", onType: "organization", onID: w.acme),
                GrantableRole(role: "maintainer", onType: "team", onID: w.red),
            ]
        )
        let orgJob = try #require(snapshot.resolve(.stored(type: Fixtures.type("job"), id: w.orgJob)))
        #expect(
            snapshot.grantableBy(Fixtures.permission("job.read"), on: orgJob) == [GrantableRole(role: "viewer", onType: "organization", onID: w.acme)]
        )
        let acme = try #require(snapshot.resolve(.stored(type: Fixtures.type("organization"), id: w.acme)))
        #expect(
            snapshot.grantableBy(Fixtures.permission("organization.transfer"), on: acme) == [
                GrantableRole(role: "owner", onType: "organization", onID: w.acme)
            ]
        )
    }

    @Test func explainTracesTheSteps() {
        let request = CheckRequest(
            subject: w.teamMember,
            permission: Fixtures.permission("job.cancel"),
            resource: .stored(type: Fixtures.type("job"), id: w.redJob)
        )
        let (decision, trace) = w.snapshot.explain(request)
        #expect(decision == w.snapshot.check(request))
        #expect(
            trace == [
                .resolved(type: "job", id: w.redJob.uuidString.lowercased(), organization: w.acme, team: w.red, creator: w.teamMember),
                .organizationMembership(organization: w.acme, role: "member"),
                .organizationRole(role: "member", grants: false),
                .teamRole(team: w.red, role: "member", grants: false),
                .creator(isCreator: true, grants: true),
            ]
        )
        #expect(trace.last?.description == "the creator rule grants the permission")
        let job = w.redJob.uuidString.lowercased()
        let acme = w.acme.uuidString.lowercased()
        #expect(
            trace[0].description
                == "resolved job \(job) in organization \(acme), team \(w.red.uuidString.lowercased()), created by \(w.teamMember.uuidString.lowercased())"
        )
        #expect(trace[1].description == "subject is member of organization \(acme)")
    }

    @Test func batchAnswersInOrder() {
        let job = Fixtures.type("job")
        let requests = [
            CheckRequest(subject: w.viewer, permission: Fixtures.permission("job.read"), resource: .stored(type: job, id: w.redJob)),
            CheckRequest(subject: w.viewer, permission: Fixtures.permission("job.cancel"), resource: .stored(type: job, id: w.redJob)),
            CheckRequest(subject: w.outsider, permission: Fixtures.permission("job.read"), resource: .stored(type: job, id: w.redJob)),
        ]
        #expect(w.snapshot.check(batch: requests).map(\.allowed) == [true, false, false])
    }

    /// The batch passes reach exactly the single-check decisions, for every subject,
    /// permission and resource of the world, stored, external, unknown and scoped.
    @Test func batchAgreesWithSingleChecks() {
        let policy = w.snapshot.policy
        let subjects = [w.owner, w.admin, w.member, w.viewer, w.maintainer, w.teamMember, w.teamOnly, w.outsider, w.root, UUID()]
        var resources: [ResourceReference] = [
            .stored(type: policy.organizationType, id: w.acme), .stored(type: policy.organizationType, id: w.globex),
            .stored(type: policy.organizationType, id: UUID()),
            .stored(type: policy.teamType, id: w.red), .stored(type: policy.teamType, id: w.green), .stored(type: policy.teamType, id: UUID()),
            .stored(type: Fixtures.type("job"), id: w.redJob), .stored(type: Fixtures.type("job"), id: w.orgJob),
            .stored(type: Fixtures.type("job"), id: w.globexJob), .stored(type: Fixtures.type("job"), id: UUID()),
            .stored(type: Fixtures.type("workflow_run"), id: w.redRun),
        ]
        resources.append(
            .external(type: Fixtures.type("document"), id: "doc-\(resources.count)", organization: w.acme, team: w.red, owner: w.teamMember)
        )
        resources.append(.external(type: Fixtures.type("document"), id: "doc-\(resources.count)", organization: UUID(), team: nil, owner: nil))
        var requests: [CheckRequest] = []
        for subject in subjects {
            for resource in resources {
                for raw in 0..<policy.permissionNames.count {
                    let permission = Fixtures.permission(policy.permissionNames[raw])
                    requests.append(CheckRequest(subject: subject, permission: permission, resource: resource))
                    requests.append(
                        CheckRequest(
                            subject: subject,
                            permission: permission,
                            resource: resource,
                            scopes: policy.permissionSet(named: ["job.read", "team.read"]).0
                        )
                    )
                }
            }
        }
        let batch = w.snapshot.check(batch: requests)
        #expect(batch == requests.map { w.snapshot.check($0) })
        #expect(Set(batch.compactMap(\.denial)) == [.notApplicable, .outsideScopes, .resourceNotFound, .notMember, .noGrant])
        #expect(Set(batch.compactMap { $0.reason?.source }) == [.organizationRole, .teamRole, .creator, .platformAdmin])
    }

    @Test func lookupResources() throws {
        let snapshot = w.snapshot
        let job = Fixtures.type("job")
        let cancel = Fixtures.permission("job.cancel")
        // maintainer: red's jobs only; member: the job it created; admin: all; outsider: none.
        #expect(snapshot.lookupResources(subject: w.maintainer, permission: cancel, type: job, organization: w.acme, limit: 10).ids == [w.redJob])
        #expect(snapshot.lookupResources(subject: w.member, permission: cancel, type: job, organization: w.acme, limit: 10).ids == [w.orgJob])
        #expect(
            snapshot.lookupResources(subject: w.admin, permission: cancel, type: job, organization: w.acme, limit: 10).ids
                == [w.redJob, w.orgJob].sorted()
        )
        #expect(snapshot.lookupResources(subject: w.outsider, permission: cancel, type: job, organization: w.acme, limit: 10).ids == [])
        // Scoped credentials narrow lookups too.
        #expect(
            snapshot.lookupResources(subject: w.admin, permission: cancel, type: job, organization: w.acme, scopes: PermissionSet(), limit: 10).ids
                == []
        )
        let teams = snapshot.lookupResources(
            subject: w.teamOnly,
            permission: Fixtures.permission("job.create"),
            type: Fixtures.type("team"),
            organization: w.acme,
            limit: 10
        )
        #expect(teams.ids == [w.red])
    }

    @Test func lookupPaginatesInStableOrder() throws {
        var changes: [SnapshotChange] = []
        let ids = (0..<25).map { _ in UUID() }
        for id in ids {
            changes.append(.resourceCreated(type: "asset", id: id, organization: w.acme, team: nil, creator: nil))
        }
        let snapshot = try w.snapshot.applying(changes, revision: 2)
        var seen: [UUID] = []
        var after: UUID?
        repeat {
            let page = snapshot.lookupResources(
                subject: w.viewer,
                permission: Fixtures.permission("asset.read"),
                type: Fixtures.type("asset"),
                organization: w.acme,
                after: after,
                limit: 10
            )
            seen += page.ids
            after = page.next
            #expect(page.ids.count <= 10)
        } while after != nil
        #expect(seen == ids.sorted())
    }

    @Test func lookupSubjects() throws {
        let snapshot = w.snapshot
        let job = try #require(snapshot.resolve(.stored(type: Fixtures.type("job"), id: w.redJob)))
        let cancel = snapshot.lookupSubjects(permission: Fixtures.permission("job.cancel"), on: job, limit: 50)
        #expect(cancel.ids == [w.owner, w.admin, w.maintainer, w.teamMember].sorted())
        let first = snapshot.lookupSubjects(permission: Fixtures.permission("job.cancel"), on: job, limit: 2)
        #expect(first.ids == Array([w.owner, w.admin, w.maintainer, w.teamMember].sorted().prefix(2)))
        let rest = snapshot.lookupSubjects(permission: Fixtures.permission("job.cancel"), on: job, after: first.next, limit: 50)
        #expect(first.ids + rest.ids == cancel.ids && rest.next == nil)
        // Never a member of another organization.
        let read = snapshot.lookupSubjects(permission: Fixtures.permission("job.read"), on: job, limit: 50)
        #expect(!read.ids.contains(w.outsider) && read.ids.count == 7)
    }

    @Test func effectiveAccess() throws {
        let access = try #require(w.snapshot.effectiveAccess(of: w.maintainer, in: w.acme))
        #expect(access.role == "member" && !access.isPlatformAdmin)
        #expect(access.permissions.contains("job.create") && !access.permissions.contains("job.cancel"))
        #expect(access.teams.map(\.team) == [w.red] && access.teams[0].role == "maintainer")
        #expect(access.teams[0].permissions.contains("job.cancel"))
        #expect(w.snapshot.effectiveAccess(of: w.outsider, in: w.acme) == nil)
        #expect(w.snapshot.effectiveAccess(of: w.root, in: w.acme)?.role == "owner")
    }
}
