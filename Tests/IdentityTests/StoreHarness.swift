import Authz
import Foundation
import Identity
import Synchronization

/// A fresh SQLite store in a temporary folder with a service on top: what each store test
/// starts from. The PostgreSQL store will get the same harness and run the same suite.
struct StoreHarness {
    let folder: URL
    let store: SQLiteIdentityStore
    let service: IdentityService<SQLiteIdentityStore>

    static func sqlite(folder: URL? = nil, clock: TestClock = TestClock()) async throws -> StoreHarness {
        let folder = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("authz-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try await SQLiteIdentityStore.open(path: folder.appendingPathComponent("authz.sqlite").path)
        try await store.migrate()
        let follower = try await SnapshotFollower.start(store: store, policy: DefaultPolicy.policy)
        let service = IdentityService(store: store, follower: follower, policy: DefaultPolicy.policy, now: { clock.now })
        return StoreHarness(folder: folder, store: store, service: service)
    }

    /// Closes the store and opens the same file again, as a restart would.
    func reopened() async throws -> StoreHarness {
        try await self.store.close()
        return try await Self.sqlite(folder: self.folder)
    }

    func user(_ name: String, admin: Bool = false) async throws -> UUID {
        try await self.service.createPrincipal(kind: .user, email: "\(name)@example.com", name: name, externalSubject: "sub|\(name)|\(UUID())", platformAdmin: admin).0.id
    }

    func cleanUp() async {
        try? await self.store.close()
        try? FileManager.default.removeItem(at: self.folder)
    }
}

/// A clock tests move by hand, so expiry is tested without sleeping.
final class TestClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))

    var now: Date { self.current.withLock { $0 } }

    func advance(hours: Double) {
        self.current.withLock { $0 = $0.addingTimeInterval(hours * 3600) }
    }
}
