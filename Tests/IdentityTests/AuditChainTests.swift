import APIKeys
import Foundation
import Identity
import Testing

/// The audit log's chains: intact as written, and every kind of tampering — an edited
/// event, a removed one (in the middle or at the end of a chain), two swapped — is reported,
/// naming the first broken entry. On both stores.
@Suite struct AuditChainTests {
    @Test(arguments: Backend.enabled)
    func tamperingIsFound(_ backend: Backend) async throws {
        try await backend.run(AuditTampering())
    }
}

extension AuditChainTests {
    /// Times as a real clock gives them, anywhere within their millisecond: what PostgreSQL
    /// gives back must hash as what was written (an org and five teams broke the chain there).
    @Test(arguments: Backend.enabled)
    func realClockTimesVerify(_ backend: Backend) async throws {
        try await backend.run(AuditAtAnyInstant(), clock: TestClock(start: Date(timeIntervalSince1970: 1_796_191_727.6113)))
    }
}

struct AuditAtAnyInstant: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let ada = try await h.user("ada")
        let (acme, _) = try await h.service.createOrganization(name: "Acme", slug: nil, creator: ada)
        for index in 0..<40 {
            h.clock.advance(seconds: 0.0237 + Double(index) * 0.000_13)
            _ = try await h.service.createTeam(organization: acme.id, name: "team \(index)")
        }
        #expect(try await h.service.verifyAudit() == .intact(events: 42, chains: 2))
    }
}

struct AuditTampering: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let ada = try await h.user("ada")
        let (acme, _) = try await h.service.createOrganization(name: "Acme", slug: nil, creator: ada)
        let hasher = APIKeyStoreTests.cheap
        // Two chains: the platform's (personal keys) and Acme's (organization keys).
        let (personal, _) = try await h.service.createAPIKey(
            name: "p",
            organization: nil,
            role: nil,
            scopes: nil,
            expiresAt: nil,
            actor: ada,
            hasher: hasher
        )
        for name in ["a", "b", "c"] {
            let (key, _) = try await h.service.createAPIKey(
                name: name,
                organization: acme.id,
                role: nil,
                scopes: nil,
                expiresAt: nil,
                actor: ada,
                hasher: hasher
            )
            _ = try await h.service.disableAPIKey(key.record.id, actor: ada)
        }
        _ = try await h.service.revokeAPIKey(personal.record.id, actor: ada)
        try await h.service.recordFailedAuthentication(keyID: nil, reason: "malformed", origin: AuditContext(actorID: nil, clientAddress: "10.0.0.9"))
        // The platform's chain: ada, the personal key's creation and revocation, the failed
        // sign-in. Acme's: its creation, then three keys created and disabled.
        let intact = AuditVerification.intact(events: 11, chains: 2)
        #expect(try await h.service.verifyAudit() == intact)
        #expect(try await h.service.verifyAudit(pageSize: 2) == intact)
        let all = try await h.service.auditRecords(organization: acme.id, after: 0, limit: 100)
        #expect(
            all.map(\.event.action) == ["organization.created"] + Array(repeating: ["api_key.created", "api_key.disabled"], count: 3).flatMap { $0 }
        )
        let records = Array(all.dropFirst())
        #expect(records.count == 6 && records.allSatisfy { $0.event.organizationID == acme.id })
        let (second, third) = (records[1].sequence, records[2].sequence)

        // Edited: found at that entry; restored: intact again.
        try await h.rawSQL("UPDATE audit_events SET action = 'api_key.enabled' WHERE sequence = \(second)")
        #expect(try await Self.brokenAt(h) == second)
        try await h.rawSQL("UPDATE audit_events SET action = '\(records[1].event.action)' WHERE sequence = \(second)")
        #expect(try await h.service.verifyAudit() == intact)

        // Two entries swapped: found at the first of them.
        try await h.rawSQL("UPDATE audit_events SET sequence = -1 WHERE sequence = \(second)")
        try await h.rawSQL("UPDATE audit_events SET sequence = \(second) WHERE sequence = \(third)")
        try await h.rawSQL("UPDATE audit_events SET sequence = \(third) WHERE sequence = -1")
        #expect(try await Self.brokenAt(h) == second)
        try await h.rawSQL("UPDATE audit_events SET sequence = -1 WHERE sequence = \(third)")
        try await h.rawSQL("UPDATE audit_events SET sequence = \(third) WHERE sequence = \(second)")
        try await h.rawSQL("UPDATE audit_events SET sequence = \(second) WHERE sequence = -1")
        #expect(try await h.service.verifyAudit() == intact)

        // The last entry of a chain removed: the chain's head no longer matches.
        try await h.rawSQL("DELETE FROM audit_events WHERE sequence = \(records[5].sequence)")
        guard case .broken(nil, let chain, _) = try await h.service.verifyAudit() else {
            Issue.record("a removed last entry went unnoticed")
            return
        }
        #expect(chain == acme.id.uuidString.lowercased())

        // One in the middle removed: found at the entry after it.
        try await h.rawSQL("DELETE FROM audit_events WHERE sequence = \(second)")
        #expect(try await Self.brokenAt(h) == third)
    }

    static func brokenAt<S>(_ h: StoreHarness<S>) async throws -> Int64? {
        guard case .broken(let sequence, _, _) = try await h.service.verifyAudit() else { return nil }
        return sequence
    }
}
