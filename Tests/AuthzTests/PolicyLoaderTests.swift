import Foundation
import Testing

@testable import Authz

/// One test per kind of loader error, each pinned to its exact `file:line`.
@Suite struct PolicyLoaderTests {
    /// A minimal valid policy the error cases extend.
    static let base = """
        resource_types:
          organization:
            permissions: [organization.read, job.create]
            roles:
              owner:
                includes: [viewer]
                grants: [job.create]
              viewer:
                grants: [organization.read]
          team:
            parent: organization
            permissions: [team.read]
            roles:
              member:
                grants: [team.read]
          job:
            parent: team
            permissions: [job.read, job.cancel]
            creator: [job.cancel]
        """

    func diagnostics(_ files: [(String, String)]) -> [String] {
        do {
            _ = try PolicyCompiler.compile(files.map { PolicySource(path: $0.0, contents: $0.1) })
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func baseCompiles() throws {
        let policy = try PolicyCompiler.compile([PolicySource(path: "base.yaml", contents: Self.base)])
        #expect(policy.types.map(\.name) == ["organization", "team", "job"])
        #expect(policy.organizationOwner.name == "owner")
    }

    @Test func yamlSyntaxError() {
        let result = self.diagnostics([("base.yaml", Self.base), ("broken.yaml", "resource_types:\n  doc:\n    parent: [team\n")])
        #expect(result.count == 1)
        #expect(result.first?.hasPrefix("broken.yaml:4: YAML syntax error") == true, "\(result)")
    }

    @Test func duplicateYAMLKey() {
        let result = self.diagnostics([("base.yaml", Self.base), ("dup.yaml", "resource_types:\n  doc:\n    parent: team\n    parent: team\n")])
        #expect(result.count == 1)
        #expect(result.first?.hasPrefix("dup.yaml:") == true && result.first?.contains("duplicate key parent") == true, "\(result)")
    }

    @Test func unknownKey() {
        let result = self.diagnostics([
            ("base.yaml", Self.base), ("x.yaml", "resource_types:\n  doc:\n    parent: team\n    permisions: [doc.read]\n"),
        ])
        #expect(
            result == [
                "x.yaml:4: unknown key 'permisions' in resource type 'doc' (expected one of: creator, description, external, parent, permissions, roles)"
            ]
        )
    }

    @Test func unknownRoleInIncludes() {
        let policy = Self.base.replacingOccurrences(of: "includes: [viewer]", with: "includes: [viewr]")
        #expect(
            self.diagnostics([("p.yaml", policy)]) == [
                "p.yaml:2: one organization role must include all the others (the owner role, which platform admins act as)",
                "p.yaml:6: unknown role 'viewr' in includes of 'organization.owner'",
            ]
        )
    }

    @Test func unknownPermission() {
        let policy = Self.base.replacingOccurrences(of: "grants: [organization.read]", with: "grants: [organization.reed]")
        #expect(
            self.diagnostics([("p.yaml", policy)]) == [
                "p.yaml:9: unknown permission 'organization.reed' granted to 'organization.viewer' (no resource type lists it under permissions)"
            ]
        )
    }

    @Test func unknownTypes() {
        let extra = """
            resource_types:
              doc:
                parent: folder
            grants:
              project.admin: [job.read]
              organization.boss: [job.read]
            """
        #expect(
            self.diagnostics([("base.yaml", Self.base), ("x.yaml", extra)]) == [
                "x.yaml:3: unknown resource type 'folder' as parent of 'doc'",
                "x.yaml:5: unknown resource type 'project' in grants",
                "x.yaml:6: unknown role 'organization.boss' in grants",
            ]
        )
    }

    @Test func inclusionCycle() {
        let policy = Self.base.replacingOccurrences(of: "      viewer:\n", with: "      viewer:\n        includes: [owner]\n")
        #expect(
            self.diagnostics([("p.yaml", policy)]) == [
                "p.yaml:9: role inclusion cycle in 'organization': owner → viewer → owner"
            ]
        )
    }

    @Test func duplicates() {
        let extra = """
            resource_types:
              job:
                parent: team
            grants:
              organization.viewer: [job.create, organization.read]
            """
        #expect(
            self.diagnostics([("a.yaml", Self.base), ("b.yaml", extra)]) == [
                "b.yaml:2: duplicate resource type 'job' (first declared at a.yaml:16)",
                "b.yaml:5: duplicate grant of 'organization.read' to 'organization.viewer' (first granted at a.yaml:9)",
            ]
        )
    }

    @Test func duplicatePermissionInList() {
        let policy = Self.base.replacingOccurrences(of: "permissions: [job.read, job.cancel]", with: "permissions: [job.read, job.cancel, job.read]")
        #expect(
            self.diagnostics([("p.yaml", policy)]) == [
                "p.yaml:18: duplicate permission 'job.read' in resource type 'job' (first listed at p.yaml:18)"
            ]
        )
    }

    @Test func grantOnATypeItDoesNotApplyTo() {
        let policy = Self.base.replacingOccurrences(of: "grants: [team.read]", with: "grants: [team.read, organization.read]")
        #expect(
            self.diagnostics([("p.yaml", policy)]) == [
                "p.yaml:15: permission 'organization.read' does not apply to 'team' or anything under it (it applies to: organization), so 'team.member' cannot grant it"
            ]
        )
    }

    @Test func creatorPermissionMustApplyToTheType() {
        let policy = Self.base.replacingOccurrences(of: "creator: [job.cancel]", with: "creator: [job.cancel, team.read]")
        #expect(
            self.diagnostics([("p.yaml", policy)]) == [
                "p.yaml:19: permission 'team.read' is granted to the creator of 'job' but does not apply to 'job'"
            ]
        )
    }

    @Test func rolesOnlyOnMembershipTypes() {
        let extra = "resource_types:\n  doc:\n    parent: team\n    roles:\n      editor: {}\n"
        #expect(
            self.diagnostics([("base.yaml", Self.base), ("x.yaml", extra)]) == [
                "x.yaml:5: roles can only be declared on organization or team, the types memberships attach to; 'doc' has roles"
            ]
        )
    }

    @Test func parentMustBeOrganizationOrTeam() {
        let extra = "resource_types:\n  doc:\n    parent: job\n  note: {}\n"
        #expect(
            self.diagnostics([("base.yaml", Self.base), ("x.yaml", extra)]) == [
                "x.yaml:3: the parent of 'doc' must be organization or team, not 'job' (resources nest as resource → team → organization)",
                "x.yaml:4: resource type 'note' needs a parent: organization or team",
            ]
        )
    }

    @Test func missingOrganizationAndTeam() {
        #expect(
            self.diagnostics([("only.yaml", "resource_types:\n  doc:\n    parent: team\n")]) == [
                "only.yaml:1: the policy must declare the resource type 'organization'",
                "only.yaml:1: the policy must declare the resource type 'team'",
                "only.yaml:3: unknown resource type 'team' as parent of 'doc'",
            ]
        )
    }

    @Test func malformedNames() {
        let extra = "resource_types:\n  Doc:\n    parent: team\n  doc:\n    parent: team\n    permissions: [read]\n"
        #expect(
            self.diagnostics([("base.yaml", Self.base), ("x.yaml", extra)]) == [
                "x.yaml:2: resource type names are lower_snake_case identifiers; got 'Doc'",
                "x.yaml:6: permission names are dotted lower_snake_case identifiers such as job.cancel; got 'read'",
            ]
        )
    }

    /// Every problem of every file in one run, in file and line order.
    @Test func reportsAllProblemsAtOnce() {
        let bad = Self.base
            .replacingOccurrences(of: "includes: [viewer]", with: "includes: [viewer, ghost]")
            .replacingOccurrences(of: "grants: [team.read]", with: "grants: [team.read, job.delete]")
        let result = self.diagnostics([("z.yaml", "resource_types: [\n"), ("a.yaml", bad)])
        #expect(result.count == 3, "\(result)")
        #expect(result.map { $0.prefix(7) } == ["a.yaml:", "a.yaml:", "z.yaml:"])
    }

    @Test func externalTypeExtendsRolesFromAnotherFile() throws {
        let extra = """
            resource_types:
              doc:
                external: true
                parent: team
                permissions: [doc.read]
            grants:
              organization.viewer: [doc.read]
            """
        let policy = try PolicyCompiler.compile([PolicySource(path: "a.yaml", contents: Self.base), PolicySource(path: "b.yaml", contents: extra)])
        let docRead = try #require(policy.permission(named: "doc.read"))
        #expect(policy.organization.role(named: "owner")?.permissions.contains(docRead) == true)
        #expect(policy.resourceType(named: "doc")?.isExternal == true)
    }
}
