import Authz
import Foundation

/// The reference world: 1,000 organizations × 50 teams × 200 members (200,000
/// organization memberships, each member also in one team), 10 jobs per team and 20
/// organization-owned assets per organization (520,000 resources). Ids come from a seeded
/// generator so every run measures the same world.
struct SyntheticWorld {
    static let organizations = 1_000
    static let teamsPerOrganization = 50
    static let membersPerOrganization = 200
    static let jobsPerTeam = 10
    static let assetsPerOrganization = 20

    let policy: Policy
    var generator = SeededGenerator(seed: 42)
    private(set) var organizationIDs: [UUID] = []
    private(set) var memberIDs: [[UUID]] = []
    private(set) var teamIDs: [[UUID]] = []
    private(set) var jobIDs: [[UUID]] = []

    init(policy: Policy) {
        self.policy = policy
        for _ in 0..<Self.organizations {
            self.organizationIDs.append(self.generator.uuid())
            self.memberIDs.append((0..<Self.membersPerOrganization).map { _ in self.generator.uuid() })
            self.teamIDs.append((0..<Self.teamsPerOrganization).map { _ in self.generator.uuid() })
            self.jobIDs.append((0..<(Self.teamsPerOrganization * Self.jobsPerTeam)).map { _ in self.generator.uuid() })
        }
    }

    static func role(ofMember index: Int) -> String {
        switch index {
        case 0: "owner"
        case 1..<5: "admin"
        case 5..<155: "member"
        default: "viewer"
        }
    }

    /// Every change that builds organization `o`, produced lazily so the list itself never
    /// sits in memory next to the snapshot being measured.
    func changes(of o: Int) -> [SnapshotChange] {
        let organization = self.organizationIDs[o]
        var changes: [SnapshotChange] = [.organizationCreated(organization)]
        for (index, member) in self.memberIDs[o].enumerated() {
            changes.append(.memberSet(organization: organization, principal: member, role: Self.role(ofMember: index)))
        }
        for (t, team) in self.teamIDs[o].enumerated() {
            changes.append(.teamCreated(organization: organization, team: team))
            var index = t
            var first = true
            while index < Self.membersPerOrganization {
                changes.append(.teamMemberSet(team: team, principal: self.memberIDs[o][index], role: first ? "maintainer" : "member"))
                first = false
                index += Self.teamsPerOrganization
            }
            for j in 0..<Self.jobsPerTeam {
                let creator = self.memberIDs[o][t + (j % 4) * Self.teamsPerOrganization]
                changes.append(
                    .resourceCreated(
                        type: "job",
                        id: self.jobIDs[o][t * Self.jobsPerTeam + j],
                        organization: organization,
                        team: team,
                        creator: creator
                    )
                )
            }
        }
        var assets = SeededGenerator(seed: UInt64(o) + 1_000_000)
        for _ in 0..<Self.assetsPerOrganization {
            changes.append(.resourceCreated(type: "asset", id: assets.uuid(), organization: organization, team: nil, creator: self.memberIDs[o][5]))
        }
        return changes
    }

    func build() throws -> AuthzSnapshot {
        let all = (0..<Self.organizations).lazy.flatMap { self.changes(of: $0) }
        return try AuthzSnapshot(policy: self.policy).applying(all, revision: 1)
    }

    /// The same world built the way a server loads its store: `SnapshotLoader`, maps made at once.
    func load() throws -> AuthzSnapshot {
        var loader = SnapshotLoader(policy: self.policy)
        for organization in 0..<Self.organizations {
            for change in self.changes(of: organization) { try loader.apply(change) }
        }
        return loader.build(revision: 1)
    }

    /// A mix of checks as a service would send them: mostly members asking about jobs of
    /// their own organization, some team and organization checks, one in ten across tenants.
    mutating func requests(_ count: Int) -> [CheckRequest] {
        let job = self.policy.resourceType(named: "job")!.id
        let team = self.policy.teamType
        let organizationType = self.policy.organizationType
        let permissions = ["job.read", "job.cancel", "team.update", "organization.read", "job.create"].map { self.policy.permission(named: $0)! }
        return (0..<count).map { i in
            let o = Int(self.generator.next() % UInt64(Self.organizations))
            let subjectOrganization = i % 10 == 9 ? (o + 1) % Self.organizations : o
            let subject = self.memberIDs[subjectOrganization][Int(self.generator.next() % UInt64(Self.membersPerOrganization))]
            switch i % 5 {
            case 0, 1:
                return CheckRequest(
                    subject: subject,
                    permission: permissions[i % 2],
                    resource: .stored(type: job, id: self.jobIDs[o][Int(self.generator.next() % 500)])
                )
            case 2:
                return CheckRequest(
                    subject: subject,
                    permission: permissions[2],
                    resource: .stored(type: team, id: self.teamIDs[o][Int(self.generator.next() % 50)])
                )
            case 3:
                return CheckRequest(
                    subject: subject,
                    permission: permissions[3],
                    resource: .stored(type: organizationType, id: self.organizationIDs[o])
                )
            default:
                return CheckRequest(
                    subject: subject,
                    permission: permissions[4],
                    resource: .stored(type: team, id: self.teamIDs[o][Int(self.generator.next() % 50)])
                )
            }
        }
    }
}

extension SyntheticWorld {
    /// The shape of a typical batch: one member asking about 1,000 resources of its own
    /// organization (the jobs of its teams, say, to render a list).
    mutating func subjectBatch(_ count: Int) -> [CheckRequest] {
        let job = self.policy.resourceType(named: "job")!.id
        let cancel = self.policy.permission(named: "job.cancel")!
        let o = Int(self.generator.next() % UInt64(Self.organizations))
        let subject = self.memberIDs[o][5 + Int(self.generator.next() % 150)]
        return (0..<count).map { i in
            CheckRequest(subject: subject, permission: cancel, resource: .stored(type: job, id: self.jobIDs[o][i % self.jobIDs[o].count]))
        }
    }
}

/// SplitMix64: deterministic, fast, good enough to spread ids over the trie.
struct SeededGenerator {
    var state: UInt64

    init(seed: UInt64) { self.state = seed }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func uuid() -> UUID {
        let a = self.next()
        let b = self.next()
        return withUnsafeBytes(of: (a, b)) { bytes in
            UUID(
                uuid: (
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                    bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
                )
            )
        }
    }
}
