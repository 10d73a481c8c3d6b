import APIKeys
import Authz
import Foundation
import Identity
import Testing

@Suite struct BootstrapTests {
    @Test(arguments: Backend.enabled)
    func generatedKeyIsShownOnce(_ backend: Backend) async throws {
        try await backend.run(GeneratedKeyIsShownOnce())
    }

    @Test(arguments: Backend.enabled)
    func configuredKeyHoldsOnEveryStart(_ backend: Backend) async throws {
        try await backend.run(ConfiguredKeyHoldsOnEveryStart())
    }

    /// A key configured later, on a store whose admin came with a generated key, is a second
    /// platform admin's; the generated key keeps working (as the README says).
    @Test(arguments: Backend.enabled)
    func aConfiguredKeyAfterAGeneratedOneAddsAnAdmin(_ backend: Backend) async throws {
        try await backend.run(ConfiguredAfterGenerated())
    }
}

struct ConfiguredAfterGenerated: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let generated = try #require(try await h.service.bootstrap(configuredKey: nil, hasher: testHasher))
        let text = try #require(generated.generated)
        let key = try #require(APIKey(parsing: text))
        let configured = try #require(try await h.service.bootstrap(configuredKey: "test-suite-bootstrap-key-0123456789abcdef", hasher: testHasher))
        #expect(configured.generated == nil && configured.principal.id != generated.principal.id)
        #expect(h.service.snapshot.isPlatformAdmin(configured.principal.id) && h.service.snapshot.isPlatformAdmin(generated.principal.id))
        let first = try #require(try await h.service.apiKey(key.id))
        #expect(first.isUsable(at: Date()) && PasswordHasher.verify(key.secret, against: first.secretHash))
        // And no key is generated again.
        #expect(try await h.service.bootstrap(configuredKey: nil, hasher: testHasher) == nil)
    }
}

/// Fast parameters: the suite checks behaviour, not argon2id's cost.
let testHasher = PasswordHasher(memoryKiB: 1024, iterations: 1, parallelism: 1)

struct GeneratedKeyIsShownOnce: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let first = try #require(try await h.service.bootstrap(configuredKey: nil, hasher: testHasher))
        let text = try #require(first.generated)
        let key = try #require(APIKey(parsing: text))
        #expect(first.principal.isPlatformAdmin && h.service.snapshot.isPlatformAdmin(first.principal.id))
        let record = try #require(try await h.service.apiKey(key.id))
        #expect(record.secretHash.hasPrefix("$argon2id$") && PasswordHasher.verify(key.secret, against: record.secretHash))
        #expect(record.principalID == first.principal.id && record.isUsable(at: Date()))
        // Never again: the next start finds the platform admin and shows nothing.
        #expect(try await h.service.bootstrap(configuredKey: nil, hasher: testHasher) == nil)
        let reopened = try await h.reopen()
        #expect(try await reopened.service.bootstrap(configuredKey: nil, hasher: testHasher) == nil)
        #expect(reopened.service.snapshot.isPlatformAdmin(first.principal.id))
        await reopened.stop()
    }
}

struct ConfiguredKeyHoldsOnEveryStart: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let configured = "test-suite-bootstrap-key-0123456789abcdef"
        await #expect(throws: IdentityError.invalid(field: "AUTHZ_BOOTSTRAP_KEY", message: "must be at least 32 characters")) {
            _ = try await h.service.bootstrap(configuredKey: "short", hasher: testHasher)
        }
        let first = try #require(try await h.service.bootstrap(configuredKey: configured, hasher: testHasher))
        #expect(first.generated == nil)
        let record = try #require(try await h.service.apiKey(BootstrapKey.configuredKeyID))
        #expect(PasswordHasher.verify(Array(configured.utf8), against: record.secretHash))
        #expect(try await h.service.bootstrap(configuredKey: configured, hasher: testHasher) == nil)
        // The operator changes the key: the new one works, the old one no longer does.
        let changed = configured + "-rotated"
        let second = try #require(try await h.service.bootstrap(configuredKey: changed, hasher: testHasher))
        #expect(second.principal.id == first.principal.id)
        let replaced = try #require(try await h.service.apiKey(BootstrapKey.configuredKeyID))
        #expect(PasswordHasher.verify(Array(changed.utf8), against: replaced.secretHash))
        #expect(!PasswordHasher.verify(Array(configured.utf8), against: replaced.secretHash))
    }
}
