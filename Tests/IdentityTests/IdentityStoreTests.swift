import Authz
import Foundation
import Identity
import Stores
import Testing

/// The store conformance suite: every scenario runs on SQLite and, when `make test` provides
/// a server, on PostgreSQL.
@Suite struct IdentityStoreTests {

    /// Every kind of write is visible in the snapshot when the call returns, at the revision
    /// it reported.
    @Test(arguments: Backend.enabled)
    func readYourWrites(_ backend: Backend) async throws {
        try await backend.run(ReadYourWrites())
    }

    /// A write that fails part-way leaves no rows and no revision behind.
    @Test(arguments: Backend.enabled)
    func failedWritesLeaveNothing(_ backend: Backend) async throws {
        try await backend.run(FailedWritesLeaveNothing())
    }

    @Test(arguments: Backend.enabled)
    func rulesAndConflicts(_ backend: Backend) async throws {
        try await backend.run(RulesAndConflicts())
    }

    /// Two owners demoting each other at the same moment: exactly one wins, and an owner
    /// remains.
    @Test(arguments: Backend.enabled)
    func lastOwnerUnderConcurrentDemotion(_ backend: Backend) async throws {
        try await backend.run(LastOwnerUnderConcurrentDemotion())
    }

    /// 16 writers × 8 rounds: every write lands once, under its own revision, in order.
    @Test(arguments: Backend.enabled)
    func concurrentWriters(_ backend: Backend) async throws {
        try await backend.run(ConcurrentWriters())
    }

    /// Closing and reopening the file loses nothing: rows, revision and the snapshot built
    /// from them.
    @Test(arguments: Backend.enabled)
    func restartKeepsEverything(_ backend: Backend) async throws {
        try await backend.run(RestartKeepsEverything())
    }

    /// A caller cancelled while its transaction is open (a client that hangs up during an
    /// event stream's replay) neither wedges the store nor leaves half a write: the transaction
    /// runs to its end, and the next one begins as usual.
    @Test(arguments: Backend.enabled)
    func cancelledCallersLeaveTheStoreUsable(_ backend: Backend) async throws {
        try await backend.run(CancelledCallersLeaveTheStoreUsable())
    }

}

struct ReadYourWrites: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        var last = h.service.snapshot.revision
        /// Each write creates a newer revision, and the snapshot already reflects it.
        func wrote(_ revision: UInt64, _ visible: Bool, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
            #expect(revision > last && h.service.snapshot.revision == revision && visible, sourceLocation: sourceLocation)
            last = revision
        }
        let (root, rootRevision) = try await h.service.createPrincipal(
            kind: .user,
            email: nil,
            name: "root",
            externalSubject: "root",
            platformAdmin: true
        )
        wrote(rootRevision, h.service.snapshot.isPlatformAdmin(root.id))
        let olivia = try await h.user("olivia")
        let adam = try await h.user("adam")
        let alice = try await h.user("alice")
        last = h.service.snapshot.revision
        let (acme, created) = try await h.service.createOrganization(name: "Acme Corp", slug: nil, creator: olivia)
        #expect(acme.slug.value == "acme-corp")
        wrote(created, h.service.snapshot.role(of: olivia, in: acme.id)?.name == "owner")

        wrote(
            try await h.service.addMember(organization: acme.id, principal: adam, role: "member", actor: olivia).revision,
            h.service.snapshot.role(of: adam, in: acme.id)?.name == "member"
        )
        wrote(
            try await h.service.changeRole(organization: acme.id, principal: adam, role: "admin", actor: olivia).revision,
            h.service.snapshot.role(of: adam, in: acme.id)?.name == "admin"
        )
        let (red, teamCreated) = try await h.service.createTeam(organization: acme.id, name: "Red")
        wrote(teamCreated, h.service.snapshot.containsOrganization(acme.id) && h.service.snapshot.teamRole(of: adam, in: red.id) == nil)
        wrote(
            try await h.service.setTeamMember(team: red.id, principal: adam, role: "maintainer", actor: olivia).revision,
            h.service.snapshot.teamRole(of: adam, in: red.id)?.name == "maintainer"
        )
        wrote(
            try await h.service.removeTeamMember(team: red.id, principal: adam, actor: olivia),
            h.service.snapshot.teamRole(of: adam, in: red.id) == nil
        )
        let (invitation, token, invited) = try await h.service.createInvitation(
            organization: acme.id,
            email: "alice@example.com",
            role: "viewer",
            team: red.id,
            teamRole: "member",
            expiresInHours: nil,
            actor: olivia
        )
        wrote(invited, true)
        wrote(
            try await h.service.acceptInvitation(invitation.id, token: token, principal: alice).revision,
            h.service.snapshot.role(of: alice, in: acme.id)?.name == "viewer" && h.service.snapshot.teamRole(of: alice, in: red.id)?.name == "member"
        )
        let (other, _, _) = try await h.service.createInvitation(
            organization: acme.id,
            email: "bob@example.com",
            role: "viewer",
            team: nil,
            teamRole: nil,
            expiresInHours: 1,
            actor: olivia
        )
        last = h.service.snapshot.revision
        wrote(try await h.service.revokeInvitation(other.id).revision, true)
        wrote(
            try await h.service.transferOwnership(organization: acme.id, to: adam, actor: olivia),
            h.service.snapshot.role(of: adam, in: acme.id)?.name == "owner" && h.service.snapshot.role(of: olivia, in: acme.id)?.name == "admin"
        )
        wrote(
            try await h.service.removeMember(organization: acme.id, principal: olivia, actor: adam),
            h.service.snapshot.role(of: olivia, in: acme.id) == nil
        )
        wrote(try await h.service.deleteTeam(red.id), h.service.snapshot.teamRole(of: alice, in: red.id) == nil)
        #expect(try await h.service.members(organization: acme.id, after: nil, limit: 50).map(\.principalID).sorted() == [adam, alice].sorted())
    }
}

struct FailedWritesLeaveNothing: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let olivia = try await h.user("olivia")
        let before = h.service.snapshot.revision
        await #expect(throws: IdentityError.notFound("principal")) {
            _ = try await h.service.createOrganization(name: "Ghost", slug: nil, creator: UUID())
        }
        await #expect(throws: Boom.self) {
            let _: (Void, revision: UInt64) = try await h.store.write { transaction in
                try await transaction.insertOrganization(
                    Organization(id: UUID(), name: "Half", slug: try Slug(validating: "half"), createdAt: Date())
                )
                throw Boom()
            }
        }
        let (_, revision) = try await h.service.createOrganization(name: "Half", slug: "half", creator: olivia)
        #expect(revision == before + 1)
        #expect(try await h.store.changes(after: before, limit: 10).map(\.revision) == [before + 1])
    }
}

struct RulesAndConflicts: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let olivia = try await h.user("olivia")
        let adam = try await h.user("adam")
        let mia = try await h.user("mia")
        let root = try await h.user("root", admin: true)
        let (acme, _) = try await h.service.createOrganization(name: "Acme", slug: "acme", creator: olivia)
        _ = try await h.service.addMember(organization: acme.id, principal: adam, role: "admin", actor: olivia)

        await #expect(throws: IdentityError.conflict("the slug 'acme' is taken")) {
            _ = try await h.service.createOrganization(name: "Acme again", slug: "acme", creator: adam)
        }
        await #expect(throws: IdentityError.conflict("the principal is already a member")) {
            _ = try await h.service.addMember(organization: acme.id, principal: adam, role: "viewer", actor: olivia)
        }
        // Nobody grants above their own role; an admin cannot touch an owner.
        await #expect(throws: IdentityError.self) {
            _ = try await h.service.addMember(organization: acme.id, principal: mia, role: "owner", actor: adam)
        }
        await #expect(throws: IdentityError.self) {
            _ = try await h.service.changeRole(organization: acme.id, principal: olivia, role: "viewer", actor: adam)
        }
        await #expect(throws: IdentityError.self) {
            _ = try await h.service.removeMember(organization: acme.id, principal: olivia, actor: adam)
        }
        // The last owner stays, even for herself and even for a platform admin.
        await #expect(throws: IdentityError.conflict("the last owner cannot be demoted")) {
            _ = try await h.service.changeRole(organization: acme.id, principal: olivia, role: "admin", actor: olivia)
        }
        await #expect(throws: IdentityError.conflict("the last owner cannot be removed")) {
            _ = try await h.service.removeMember(organization: acme.id, principal: olivia, actor: root)
        }
        await #expect(throws: IdentityError.notFound("member")) {
            _ = try await h.service.changeRole(organization: acme.id, principal: mia, role: "viewer", actor: olivia)
        }
        // A platform admin acts as owner.
        _ = try await h.service.addMember(organization: acme.id, principal: mia, role: "owner", actor: root)
        #expect(h.service.snapshot.role(of: mia, in: acme.id)?.name == "owner")
        await #expect(throws: IdentityError.invalid(field: "slug", message: "may contain only lower-case letters, digits and '-'")) {
            _ = try await h.service.createOrganization(name: "Bad", slug: "Bad Slug", creator: olivia)
        }
    }
}

struct LastOwnerUnderConcurrentDemotion: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        for round in 0..<5 {
            let a = try await h.user("a")
            let b = try await h.user("b")
            let (org, _) = try await h.service.createOrganization(name: "Race \(round)", slug: nil, creator: a)
            _ = try await h.service.addMember(organization: org.id, principal: b, role: "owner", actor: a)
            async let first = succeeded { try await h.service.changeRole(organization: org.id, principal: b, role: "admin", actor: a) }
            async let second = succeeded { try await h.service.changeRole(organization: org.id, principal: a, role: "admin", actor: b) }
            let outcomes = await [first, second]
            #expect(outcomes.filter { $0 }.count == 1)
            let owners = try await h.service.members(organization: org.id, after: nil, limit: 10).filter { $0.role == "owner" }
            #expect(owners.count == 1)
            #expect([a, b].filter { h.service.snapshot.role(of: $0, in: org.id)?.name == "owner" }.count == 1)
        }
    }
}

struct ConcurrentWriters: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let owner = try await h.user("owner")
        let (org, start) = try await h.service.createOrganization(name: "Busy", slug: nil, creator: owner)
        let revisions = try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for writer in 0..<16 {
                group.addTask {
                    var revisions: [UInt64] = []
                    for round in 0..<8 {
                        let member = try await h.user("w\(writer)r\(round)")
                        revisions.append(
                            try await h.service.addMember(organization: org.id, principal: member, role: "member", actor: owner).revision
                        )
                    }
                    return revisions
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(Set(revisions).count == 128)
        let members = try await h.service.members(organization: org.id, after: nil, limit: 500)
        #expect(members.count == 129)
        #expect(h.service.snapshot.revision == (try await h.store.changes(after: start, limit: 1000)).last?.revision)
        for member in members {
            #expect(h.service.snapshot.role(of: member.principalID, in: org.id)?.name == member.role)
        }
        // Pages walk the members in id order without gaps or repeats.
        var paged: [UUID] = []
        var after: UUID?
        while true {
            let page = try await h.service.members(organization: org.id, after: after, limit: 50)
            paged += page.map(\.principalID)
            guard page.count == 50 else { break }
            after = page.last?.principalID
        }
        #expect(paged == members.map(\.principalID))
    }
}

struct RestartKeepsEverything: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let olivia = try await h.user("olivia")
        let adam = try await h.user("adam")
        let (acme, _) = try await h.service.createOrganization(name: "Acme", slug: nil, creator: olivia)
        let (_, last) = try await h.service.addMember(organization: acme.id, principal: adam, role: "viewer", actor: olivia)
        let reopened = try await h.reopen()
        #expect(reopened.service.snapshot.revision == last)
        #expect(reopened.service.snapshot.role(of: adam, in: acme.id)?.name == "viewer")
        #expect(reopened.service.snapshot.role(of: olivia, in: acme.id)?.name == "owner")
        #expect(try await reopened.service.organization(acme.id)?.slug.value == "acme")
        // Migrating again is a no-op.
        try await reopened.store.migrate()
        #expect(try await reopened.service.members(organization: acme.id, after: nil, limit: 10).count == 2)
        await reopened.stop()
    }
}

/// A second store instance on the same PostgreSQL database learns of a write through the
/// first within the wait bound, by notification, while following in the background.
@Suite struct ReplicationTests {
    @Test(.enabled(if: Backend.enabled.contains(.postgres)))
    func secondInstanceObservesWrites() async throws {
        let first = try await StoreHarness<PostgresIdentityStore>.postgres()
        let second = try await first.replica()
        let following = Task { try await second.service.follower.follow() }
        defer { following.cancel() }
        let olivia = try await first.user("olivia")
        let adam = try await first.user("adam")
        let (acme, _) = try await first.service.createOrganization(name: "Acme", slug: nil, creator: olivia)
        let (_, revision) = try await first.service.addMember(organization: acme.id, principal: adam, role: "admin", actor: olivia)
        // Watch the replica's snapshot without catching it up ourselves: only the follower can.
        let clock = ContinuousClock()
        let start = clock.now
        while second.service.snapshot.revision < revision && clock.now - start < .seconds(2) {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(second.service.snapshot.revision >= revision)
        #expect(second.service.snapshot.role(of: adam, in: acme.id)?.name == "admin")
        // The bounded wait a request with min_revision uses.
        let (_, later) = try await first.service.changeRole(organization: acme.id, principal: adam, role: "viewer", actor: olivia)
        #expect(try await second.service.follower.waitUntilApplied(later, timeout: .seconds(2)))
        #expect(second.service.snapshot.role(of: adam, in: acme.id)?.name == "viewer")
        #expect(try await second.service.follower.waitUntilApplied(later + 100, timeout: .milliseconds(50)) == false)
        following.cancel()
        await second.stop()
        await first.stop()
    }

    /// The notification, not the poll, is what tells a replica: with the poll a minute away, a
    /// write made right after watching starts is still reported within seconds (on a loaded
    /// test machine; a notification takes milliseconds).
    @Test(.enabled(if: Backend.enabled.contains(.postgres)))
    func notificationArrivesBeforeThePoll() async throws {
        let first = try await StoreHarness<PostgresIdentityStore>.postgres()
        let second = try await first.replica(pollInterval: .seconds(60))
        let (stream, continuation) = AsyncStream.makeStream(of: ContinuousClock.Instant.self)
        let clock = ContinuousClock()
        let started = clock.now
        let watching = Task { try await second.store.watchChanges { continuation.yield(clock.now) } }
        try await Task.sleep(for: .milliseconds(250))
        _ = try await first.user("olivia")
        var iterator = stream.makeAsyncIterator()
        let reported = await iterator.next()
        watching.cancel()
        #expect(reported.map { $0 - started < .seconds(10) } == true, "reported after \(String(describing: reported.map { $0 - started }))")
        await second.stop()
        await first.stop()
    }
}

/// An error a test throws on purpose, half-way through a write.
struct Boom: Error {}

/// Whether the operation succeeded; for races where only the count of winners matters.
func succeeded<T>(_ operation: () async throws -> T) async -> Bool {
    do {
        _ = try await operation()
        return true
    } catch {
        return false
    }
}

struct CancelledCallersLeaveTheStoreUsable: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let owner = try await h.user("owner")
        let start = h.service.snapshot.revision
        let reader = Self.cancelledMidway { started, resume in
            try await h.store.read { transaction in
                started()
                await resume()
                return try await transaction.principal(owner)?.id
            }
        }
        _ = await reader.result
        let written = Principal(
            id: UUID(),
            kind: .user,
            email: nil,
            name: "written while cancelled",
            externalSubject: nil,
            isPlatformAdmin: false,
            createdAt: h.clock.now
        )
        let writer = Self.cancelledMidway { started, resume in
            try await h.store.write { transaction in
                started()
                await resume()
                try await transaction.insertPrincipal(written)
                return ((), [])
            }
        }
        _ = await writer.result
        // The store still begins transactions, and the cancelled write either landed whole or
        // not at all; it ran to its end, so it landed.
        #expect(try await h.store.changes(after: start, limit: 10).isEmpty)
        #expect(try await h.store.read { try await $0.principal(written.id) } == written)
        let after = try await h.user("after")
        #expect(try await h.store.read { try await $0.principal(after)?.name } == "after")
    }

    /// Starts `body` in a task and cancels that task once `body` says its transaction has begun,
    /// then lets `body` go on.
    private static func cancelledMidway<Result: Sendable>(
        _ body: @escaping @Sendable (_ started: @escaping @Sendable () -> Void, _ resume: @escaping @Sendable () async -> Void) async throws -> Result
    ) -> Task<Result, any Error> {
        let (begun, begin) = AsyncStream<Void>.makeStream()
        let (cancelled, cancel) = AsyncStream<Void>.makeStream()
        let task = Task {
            try await body({ begin.yield() }) {
                var waiting = cancelled.makeAsyncIterator()
                _ = await waiting.next()
            }
        }
        Task {
            var waiting = begun.makeAsyncIterator()
            _ = await waiting.next()
            task.cancel()
            cancel.yield()
        }
        return task
    }
}
