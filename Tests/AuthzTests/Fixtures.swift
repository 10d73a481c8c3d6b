import Foundation
import Testing

@testable import Authz

/// The repository's `policies/` folder, read the way the server reads it.
enum Fixtures {
    static let policiesFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("policies")

    static func sources(in folder: URL) throws -> [PolicySource] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            .filter { $0.hasSuffix(".yaml") }
            .map { name in
                let url = folder.appendingPathComponent(name)
                return PolicySource(path: "policies/\(name)", contents: try String(contentsOf: url, encoding: .utf8))
            }
    }

    static let defaultPolicy: Policy = {
        do {
            return try PolicyCompiler.compile(try sources(in: policiesFolder))
        } catch {
            fatalError("the default policy does not compile: \(error)")
        }
    }()

    static func permission(_ name: String, in policy: Policy = defaultPolicy) -> PermissionID {
        guard let id = policy.permission(named: name) else { fatalError("no permission \(name)") }
        return id
    }

    static func type(_ name: String, in policy: Policy = defaultPolicy) -> ResourceTypeID {
        guard let type = policy.resourceType(named: name) else { fatalError("no type \(name)") }
        return type.id
    }
}

/// A reason with its role and type named, for readable expectations.
struct NamedReason: Equatable {
    let source: Reason.Source
    let role: String
    let onType: String
    let onID: UUID
    let viaTeam: UUID?

    init(source: Reason.Source, role: String, onType: String, onID: UUID, viaTeam: UUID?) {
        self.source = source
        self.role = role
        self.onType = onType
        self.onID = onID
        self.viaTeam = viaTeam
    }

    init?(_ reason: Reason?, in policy: Policy = Fixtures.defaultPolicy) {
        guard let reason else { return nil }
        self.init(
            source: reason.source,
            role: policy.roleName(of: reason),
            onType: policy.type(reason.onType).name,
            onID: reason.onID,
            viaTeam: reason.viaTeam
        )
    }
}

/// A small world for evaluator tests: two organizations, teams, members and resources.
struct World {
    let acme = UUID(), globex = UUID()
    let red = UUID(), blue = UUID(), green = UUID()
    let owner = UUID(), admin = UUID(), member = UUID(), viewer = UUID()
    let maintainer = UUID(), teamMember = UUID(), teamOnly = UUID(), outsider = UUID(), root = UUID()
    let redJob = UUID(), orgJob = UUID(), globexJob = UUID(), redRun = UUID()
    let snapshot: AuthzSnapshot

    init(policy: Policy = Fixtures.defaultPolicy) throws {
        let changes: [SnapshotChange] = [
            .platformAdminGranted(root),
            .organizationCreated(acme), .organizationCreated(globex),
            .memberSet(organization: acme, principal: owner, role: "owner"),
            .memberSet(organization: acme, principal: admin, role: "admin"),
            .memberSet(organization: acme, principal: member, role: "member"),
            .memberSet(organization: acme, principal: viewer, role: "viewer"),
            .memberSet(organization: acme, principal: maintainer, role: "member"),
            .memberSet(organization: acme, principal: teamMember, role: "member"),
            .memberSet(organization: acme, principal: teamOnly, role: "viewer"),
            .memberSet(organization: globex, principal: outsider, role: "owner"),
            .teamCreated(organization: acme, team: red), .teamCreated(organization: acme, team: blue),
            .teamCreated(organization: globex, team: green),
            .teamMemberSet(team: red, principal: maintainer, role: "maintainer"),
            .teamMemberSet(team: red, principal: teamMember, role: "member"),
            .teamMemberSet(team: red, principal: teamOnly, role: "member"),
            .resourceCreated(type: "job", id: redJob, organization: acme, team: red, creator: teamMember),
            .resourceCreated(type: "job", id: orgJob, organization: acme, team: nil, creator: member),
            .resourceCreated(type: "job", id: globexJob, organization: globex, team: green, creator: outsider),
            .resourceCreated(type: "workflow_run", id: redRun, organization: acme, team: red, creator: teamOnly),
        ]
        self.snapshot = try AuthzSnapshot(policy: policy).applying(changes, revision: 1)
    }

    func check(_ subject: UUID, _ permission: String, _ type: String, _ id: UUID, scopes: [String]? = nil) -> Decision {
        let policy = self.snapshot.policy
        let scopeSet = scopes.map { policy.permissionSet(named: $0).0 }
        return self.snapshot.check(
            CheckRequest(
                subject: subject,
                permission: Fixtures.permission(permission, in: policy),
                resource: .stored(type: Fixtures.type(type, in: policy), id: id),
                scopes: scopeSet
            )
        )
    }
}
