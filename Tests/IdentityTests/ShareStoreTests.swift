import APIKeys
import Authz
import Foundation
import Identity
import JSON
import Testing

@testable import Workloads

/// Shares on both stores with an injected clock: every state of the public link, the lockout
/// thresholds and their expiry, locks checked before any hashing and surviving a restart, and
/// the sealed snapshot's integrity and public allowlist.
@Suite struct ShareStoreTests {
    static let cheap = PasswordHasher(memoryKiB: 1024, iterations: 1, parallelism: 1)
    static let key = SecureRandom.bytes(32)

    @Test(arguments: Backend.enabled)
    func states(_ backend: Backend) async throws {
        try await backend.run(ShareStates())
    }

    @Test(arguments: Backend.enabled)
    func lockouts(_ backend: Backend) async throws {
        try await backend.run(ShareLockouts())
    }

    @Test(arguments: Backend.enabled)
    func concurrentGuesses(_ backend: Backend) async throws {
        try await backend.run(ConcurrentShareGuesses())
    }
}

/// Guesses sent all at once take their places in the count before any is hashed: of 16 (and
/// then of 64 on another share) from one client, exactly the limit of 5 are checked.
struct ConcurrentShareGuesses: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let shares = ShareService(
            identity: h.service,
            secretKey: ShareStoreTests.key,
            limits: ShareLimits(lockedDelay: .zero),
            hasher: ShareStoreTests.cheap
        )
        for count in [16, 64] {
            let (_, _, _, issued) = try await sharedJob(h, shares, password: "correct horse")
            let before = await shares.pool.runs
            let answers = await withTaskGroup(of: ShareAccessError?.self) { group in
                for _ in 0..<count {
                    group.addTask {
                        do {
                            _ = try await shares.open(token: issued.token, password: "wrong", client: "10.0.0.9") { _ in true }
                            return nil
                        } catch {
                            return error as? ShareAccessError
                        }
                    }
                }
                var answers: [ShareAccessError?] = []
                for await answer in group { answers.append(answer) }
                return answers
            }
            #expect(await shares.pool.runs - before == 5, "\(count) at once")
            #expect(answers.filter { $0 == .wrongPassword }.count == 5)
            #expect(answers.filter { if case .locked? = $0 { true } else { false } }.count == count - 5)
            // The right password from that client is locked out too; a correct guess elsewhere
            // gives its place back, so opening twice more from another client still works.
            await #expect(throws: ShareAccessError.self) {
                _ = try await shares.open(token: issued.token, password: "correct horse", client: "10.0.0.9") { _ in true }
            }
            for _ in 0..<6 {
                _ = try await shares.open(token: issued.token, password: "correct horse", client: "10.0.0.10") { _ in true }
            }
        }
    }
}

/// A finished job in an organization, shared with `password`.
func sharedJob<S: IdentityStore>(
    _ h: StoreHarness<S>,
    _ shares: ShareService,
    password: String?,
    expiresAt: Date? = nil
) async throws -> (owner: UUID, organization: UUID, job: Job, issued: IssuedShare) {
    let (owner, organization, team) = try await jobWorld(h)
    let jobs = JobService(identity: h.service)
    let audit = AuditContext(actorID: owner)
    let (job, _) = try await jobs.submit(
        organization: organization,
        team: team,
        provider: "echo",
        input: ["text": .string("public words")],
        creator: owner,
        audit: audit
    )
    let claimed = try #require(try await jobs.claimNext(runner: UUID(), lease: .seconds(30)))
    try await jobs.finish(claimed, with: .success(ProviderOutput(text: "public words", units: 2)))
    let (issued, _) = try await shares.create(
        resourceType: "job",
        resourceID: job.id,
        password: password,
        expiresAt: expiresAt,
        creator: owner,
        audit: audit
    )
    return (owner, organization, job, issued)
}

struct ShareStates: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let shares = ShareService(identity: h.service, secretKey: ShareStoreTests.key, hasher: ShareStoreTests.cheap)
        let available: @Sendable (Share) -> Bool = { _ in true }
        let (owner, organization, job, issued) = try await sharedJob(
            h,
            shares,
            password: "correct horse",
            expiresAt: h.clock.now.addingTimeInterval(86_400)
        )
        #expect(issued.token.count == 64 && issued.share.passwordHash?.hasPrefix("$argon2id$") == true)
        #expect(issued.share.tokenDigest == Digest.blake2b(Array(issued.token.utf8)))

        // Active: only public fields, no ids, no error text.
        let view = try await shares.open(token: issued.token, password: "correct horse", client: "a", isAvailable: available)
        #expect(Set(view.keys) == ["type", "name", "status", "created_at", "started_at", "finished_at", "output"])
        #expect(view["output"] == .object(["text": .string("public words")]) && view["status"] == .string("succeeded"))
        let text = JSONValue.object(view).text
        for id in [owner, organization, job.id, issued.share.id] { #expect(!text.contains(id.uuidString.lowercased())) }

        await #expect(throws: ShareAccessError.passwordRequired) {
            _ = try await shares.open(token: issued.token, password: nil, client: "a", isAvailable: available)
        }
        await #expect(throws: ShareAccessError.wrongPassword) {
            _ = try await shares.open(token: issued.token, password: "wrong", client: "a", isAvailable: available)
        }
        // An unknown token costs a (dummy) hash, like a wrong password.
        let before = await shares.pool.runs
        await #expect(throws: ShareAccessError.notFound) {
            _ = try await shares.open(token: "nope", password: "guess", client: "a", isAvailable: available)
        }
        #expect(await shares.pool.runs == before + 1)
        // The resource is gone: filtered.
        await #expect(throws: ShareAccessError.artifactFiltered) {
            _ = try await shares.open(token: issued.token, password: "correct horse", client: "a") { _ in false }
        }

        // A snapshot edited in the database no longer verifies.
        try await h.rawSQL("UPDATE shares SET snapshot = replace(snapshot, 'public words', 'edited words')")
        await #expect(throws: ShareAccessError.evidenceUnverified) {
            _ = try await shares.open(token: issued.token, password: "correct horse", client: "a", isAvailable: available)
        }
        // A sealed snapshot with a field outside the allowlist is refused anyway.
        let leaky = #"{"organization_id":"\#(organization.uuidString.lowercased())","type":"job"}"#
        let leakyToken = "leaky-token"
        let id = UUID.timeOrdered(at: h.clock.now)
        _ = try await h.store.write { transaction in
            try await IdentityService.workloads(transaction).insertShare(
                Share(
                    id: id,
                    organizationID: organization,
                    teamID: nil,
                    createdBy: owner,
                    resourceType: "job",
                    resourceID: job.id,
                    tokenDigest: Digest.blake2b(Array(leakyToken.utf8)),
                    passwordHash: nil,
                    snapshot: leaky,
                    mac: shares.mac(id: id, resourceType: "job", resourceID: job.id, snapshot: leaky),
                    expiresAt: nil,
                    createdAt: h.clock.now
                )
            )
            return ((), [])
        }
        await #expect(throws: ShareAccessError.payloadRejected) {
            _ = try await shares.open(token: leakyToken, password: nil, client: "a", isAvailable: available)
        }

        // Expired, then revoked (revoking twice is a conflict).
        let (_, _, _, later) = try await sharedJob(h, shares, password: nil, expiresAt: h.clock.now.addingTimeInterval(3600))
        #expect(try await shares.open(token: later.token, password: nil, client: "a", isAvailable: available)["type"] == .string("job"))
        h.clock.advance(hours: 2)
        await #expect(throws: ShareAccessError.expired) {
            _ = try await shares.open(token: later.token, password: nil, client: "a", isAvailable: available)
        }
        _ = try await shares.revoke(later.share.id, audit: AuditContext(actorID: owner))
        await #expect(throws: ShareAccessError.revoked) {
            _ = try await shares.open(token: later.token, password: nil, client: "a", isAvailable: available)
        }
        await #expect(throws: IdentityError.conflict("the share is already revoked")) {
            _ = try await shares.revoke(later.share.id, audit: AuditContext(actorID: owner))
        }
        // Shares are resources of their organization and the shared resource's team.
        let type = try #require(h.service.policy.resourceType(named: "share")).id
        #expect(h.service.snapshot.resolve(.stored(type: type, id: issued.share.id))?.team == job.teamID)
    }
}

struct ShareLockouts: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        // No delay on locked answers here: the 200 guesses below measure work, not waiting.
        let limits = ShareLimits(lockedDelay: .zero)
        let shares = ShareService(identity: h.service, secretKey: ShareStoreTests.key, limits: limits, hasher: ShareStoreTests.cheap)
        let available: @Sendable (Share) -> Bool = { _ in true }
        let (_, organization, _, issued) = try await sharedJob(h, shares, password: "correct horse")
        /// nil when the share opened.
        func open(_ password: String, from client: String, _ service: ShareService? = nil) async -> ShareAccessError? {
            do {
                _ = try await (service ?? shares).open(token: issued.token, password: password, client: client, isAvailable: available)
                return nil
            } catch let error as ShareAccessError {
                return error
            } catch {
                return .notFound
            }
        }
        // Five wrong passwords from one client lock that client (even with the right one), not others.
        for _ in 0..<5 { #expect(await open("wrong", from: "10.0.0.1") == .wrongPassword) }
        #expect(await open("correct horse", from: "10.0.0.1") == .locked(retryAfter: 900, limit: 5))
        #expect(await open("correct horse", from: "10.0.0.2") == nil)

        // The lock is checked before any hashing: 200 guesses against it hash nothing, so they
        // cost two store reads each, where 200 argon2id verifications would take 9 s of CPU.
        // (Counted, not timed: a wall-clock bound fails on a loaded CI machine.)
        let before = await shares.pool.runs
        for _ in 0..<200 { _ = await open("guess", from: "10.0.0.1") }
        #expect(await shares.pool.runs == before)

        // Locks are in the store: a restart keeps them.
        let reopened = try await h.reopen()
        let again = ShareService(identity: reopened.service, secretKey: ShareStoreTests.key, limits: limits, hasher: ShareStoreTests.cheap)
        #expect(await open("correct horse", from: "10.0.0.1", again) == .locked(retryAfter: 900, limit: 5))
        // Fifteen minutes later the client may try again.
        reopened.clock.advance(hours: 0.25)
        #expect(await open("correct horse", from: "10.0.0.1", again) == nil)

        // Fifty wrong passwords on the share within the hour (the five above, then at most four per
        // client) lock it for everyone.
        for index in 0..<45 { _ = await open("wrong", from: "172.16.0.\(index / 4)", again) }
        #expect(await open("correct horse", from: "192.168.1.1", again) == .locked(retryAfter: 3600, limit: 5))
        reopened.clock.advance(hours: 1)
        #expect(await open("correct horse", from: "192.168.1.1", again) == nil)
        // Every wrong password is in the organization's audit log.
        let failures = try await reopened.service.auditRecords(organization: organization, after: 0, limit: 200).filter {
            $0.event.action == "share.password_failed"
        }
        #expect(failures.count == 50 && failures.allSatisfy { $0.event.outcome == .denied })
        await reopened.stop()
    }
}
