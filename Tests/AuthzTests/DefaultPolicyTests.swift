import Foundation
import Testing

@testable import Authz

/// docs/API.md §3, row by row: each role grants exactly its row plus what the roles it includes
/// grant, no more and no less.
@Suite struct DefaultPolicyTests {
    static let viewer = [
        "organization.read", "member.read", "team.read", "job.read", "workflow.read", "workflow_run.read", "provider.read", "asset.read",
        "share.read", "event.read",
    ]
    static let member = [
        "job.create", "workflow_run.create", "workflow_run.start", "provider.execute", "asset.create", "share.create", "api_key.create",
    ]
    static let admin = [
        "organization.update", "member.manage", "team.create", "team.update", "team.delete", "team.member.manage", "invitation.read",
        "invitation.create", "invitation.revoke", "api_key.read", "api_key.manage", "job.cancel", "workflow.create", "workflow_run.cancel",
        "asset.delete", "share.revoke", "usage.read", "audit_log.read", "authz.check",
    ]
    static let owner = ["organization.delete", "organization.transfer"]
    static let teamMember = ["team.read", "job.read", "job.create", "workflow_run.read", "workflow_run.create", "asset.read", "asset.create"]
    static let teamMaintainer = ["team.update", "team.member.manage", "job.cancel", "workflow_run.cancel", "share.revoke"]
    /// The example external type adds these; they are not part of §3.
    static let document = ["document.read", "document.edit", "document.delete"]

    func granted(_ role: Role) -> Set<String> {
        Set(Fixtures.defaultPolicy.names(of: role.permissions)).subtracting(Self.document)
    }

    static let organizationRows: [(String, [String])] = [
        ("viewer", viewer),
        ("member", viewer + member),
        ("admin", viewer + member + admin),
        ("owner", viewer + member + admin + owner),
    ]
    static let teamRows: [(String, [String])] = [("member", teamMember), ("maintainer", teamMember + teamMaintainer)]

    @Test(arguments: organizationRows)
    func organizationRole(_ name: String, _ expected: [String]) throws {
        let role = try #require(Fixtures.defaultPolicy.organization.role(named: name))
        #expect(self.granted(role) == Set(expected))
    }

    @Test(arguments: teamRows)
    func teamRole(_ name: String, _ expected: [String]) throws {
        let role = try #require(Fixtures.defaultPolicy.team.role(named: name))
        #expect(self.granted(role) == Set(expected))
    }

    @Test func inclusionOrder() throws {
        let organization = Fixtures.defaultPolicy.organization
        let names = { (role: String) in
            Set(organization.role(named: role)!.includedRoles.map { organization.role($0).name })
        }
        #expect(names("owner") == ["owner", "admin", "member", "viewer"])
        #expect(names("admin") == ["admin", "member", "viewer"])
        #expect(names("member") == ["member", "viewer"])
        #expect(names("viewer") == ["viewer"])
        let team = Fixtures.defaultPolicy.team
        #expect(Set(team.role(named: "maintainer")!.includedRoles.map { team.role($0).name }) == ["maintainer", "member"])
        #expect(Fixtures.defaultPolicy.organizationOwner.name == "owner")
    }

    @Test func creatorRule() {
        let policy = Fixtures.defaultPolicy
        for (type, permission) in [("job", "job.cancel"), ("workflow_run", "workflow_run.cancel"), ("share", "share.revoke")] {
            #expect(policy.names(of: policy.resourceType(named: type)!.creatorPermissions) == [permission])
        }
        #expect(policy.resourceType(named: "asset")!.creatorPermissions.isEmpty)
    }

    @Test func storedAndExternalTypes() {
        let policy = Fixtures.defaultPolicy
        let stored = policy.types.filter { !$0.isExternal }.map(\.name)
        #expect(Set(stored) == ["organization", "team", "job", "workflow_definition", "workflow_run", "asset", "share", "api_key"])
        #expect(policy.resourceType(named: "document")?.isExternal == true)
        #expect(policy.resourceType(named: "document")?.parent == .team)
    }

    /// The shipped suite passes in full: every principal × resource × applicable permission.
    @Test func shippedSuitePasses() throws {
        var report = PolicyTestReport()
        let folder = Fixtures.policiesFolder.appendingPathComponent("tests")
        let sources = try Fixtures.sources(in: folder)
        #expect(!sources.isEmpty)
        for source in sources {
            try PolicyTestSuite.parse(source).run(against: Fixtures.defaultPolicy, into: &report)
        }
        #expect(report.failures.map(\.description) == [])
        #expect(report.passed > 1000)
    }
}
