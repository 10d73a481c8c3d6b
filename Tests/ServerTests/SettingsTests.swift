import Foundation
import Identity
import Testing

@testable import Server

/// The settings read from the environment that are not plain values: the key that seals share
/// snapshots, and where files live by default.
@Suite struct SettingsTests {
    @Test func theSecretKeyComesFromTheEnvironmentOrAFileMadeOnce() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("authz-key-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A file, created on first use with mode 0600, read back after.
        let first = try Settings.loadSecretKey(configured: nil, folder: folder)
        #expect(first.count == 32)
        let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/secret.key")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try Settings.loadSecretKey(configured: nil, folder: folder) == first)
        // Configured: the same string gives the same key on every replica; a short one is refused.
        let configured = try Settings.loadSecretKey(configured: String(repeating: "k", count: 40), folder: folder)
        #expect(configured.count == 32 && configured != first)
        #expect(try Settings.loadSecretKey(configured: String(repeating: "k", count: 40), folder: "/nonexistent") == configured)
        #expect(throws: SettingsError.self) { try Settings.loadSecretKey(configured: "short", folder: folder) }
        // A damaged key file is refused rather than replaced.
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: folder + "/secret.key"))
        #expect(throws: SettingsError.self) { try Settings.loadSecretKey(configured: nil, folder: folder) }
    }

    @Test func filesLiveBesideTheDatabase() {
        #expect(Settings.defaultBlobFolder(for: .sqlite(path: "/srv/authz/authz.sqlite")) == "/srv/authz/blobs")
        #expect(Settings.dataFolder(for: .sqlite(path: "/srv/authz/authz.sqlite")) == "/srv/authz")
        #expect(Settings.dataFolder(for: .sqlite(path: "authz.sqlite")) == ".")
        let postgres = DatabaseURL.postgres(host: "db", port: 5432, username: "u", password: nil, database: "authz")
        #expect(Settings.defaultBlobFolder(for: postgres) == ".data/blobs" && Settings.dataFolder(for: postgres) == ".data")
    }
}
