import Authz
import Foundation
import Identity
import Testing

@Suite struct LiveSnapshotTests {
    static let policy: Policy = {
        let source = """
            resource_types:
              organization:
                permissions: [organization.read]
                roles:
                  owner: {grants: [organization.read]}
              team:
                parent: organization
                roles:
                  member: {}
            """
        return try! PolicyCompiler.compile([PolicySource(path: "p.yaml", contents: source)])
    }()

    /// Readers never block and only ever see whole snapshots whose revision moves forward,
    /// while writers race to publish.
    @Test func concurrentReadersSeeMonotonicRevisions() async throws {
        let organization = UUID()
        let live = LiveSnapshot(try AuthzSnapshot(policy: Self.policy).applying([.organizationCreated(organization)], revision: 1))
        let writers = 4
        let rounds = 200
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    for round in 0..<rounds {
                        let revision = UInt64(2 + round * writers + writer)
                        try live.apply([.memberSet(organization: organization, principal: UUID(), role: "owner")], revision: revision)
                    }
                }
            }
            for _ in 0..<2 {
                group.addTask {
                    var last: UInt64 = 0
                    for _ in 0..<20_000 {
                        let snapshot = live.snapshot
                        #expect(snapshot.revision >= last)
                        #expect(snapshot.containsOrganization(organization))
                        last = snapshot.revision
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(live.snapshot.revision == UInt64(1 + writers * rounds))
    }

    @Test func staleRevisionsAreIgnored() throws {
        let live = LiveSnapshot(AuthzSnapshot(policy: Self.policy, revision: 5))
        let organization = UUID()
        try live.apply([.organizationCreated(organization)], revision: 4)
        #expect(!live.snapshot.containsOrganization(organization))
        try live.apply([.organizationCreated(organization)], revision: 6)
        #expect(live.snapshot.containsOrganization(organization) && live.snapshot.revision == 6)
    }
}

@Suite struct SnapshotHistoryTests {
    @Test func recentRevisionsStayReachable() throws {
        let organization = UUID()
        let live = LiveSnapshot(
            try AuthzSnapshot(policy: LiveSnapshotTests.policy).applying([.organizationCreated(organization)], revision: 1),
            historyLength: 4
        )
        var members: [UUID] = []
        for revision in 2...20 {
            let member = UUID()
            members.append(member)
            try live.apply([.memberSet(organization: organization, principal: member, role: "owner")], revision: UInt64(revision))
        }
        // The last four at least, each exactly as it was.
        for revision in 17...20 {
            let snapshot = try #require(live.snapshot(at: UInt64(revision)))
            #expect(snapshot.revision == UInt64(revision))
            #expect(snapshot.role(of: members[revision - 2], in: organization) != nil)
            if revision < 20 { #expect(snapshot.role(of: members[revision - 1], in: organization) == nil) }
        }
        #expect(live.snapshot(at: 2) == nil)
        #expect(live.snapshot(at: 21) == nil)
    }
}
