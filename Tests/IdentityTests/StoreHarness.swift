import Authz
import Foundation
import Identity

/// A fresh SQLite store in a temporary folder with a service on top: what each store test
/// starts from. The PostgreSQL store will get the same harness and run the same suite.
struct StoreHarness {
    let folder: URL
    let store: SQLiteIdentityStore
    let service: IdentityService<SQLiteIdentityStore>

    static func sqlite(folder: URL? = nil) async throws -> StoreHarness {
        let folder = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("authz-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try await SQLiteIdentityStore.open(path: folder.appendingPathComponent("authz.sqlite").path)
        try await store.migrate()
        let follower = try await SnapshotFollower.start(store: store, policy: DefaultPolicy.policy)
        return StoreHarness(folder: folder, store: store, service: IdentityService(store: store, follower: follower, policy: DefaultPolicy.policy))
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
