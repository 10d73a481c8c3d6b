import APIKeys
import Authz
import Foundation
import Identity
import NIOCore
import Testing
import Workloads

/// Assets on both stores: uploads streamed and hashed, equal content stored once, the limit,
/// the blob removed with the last asset naming it, and assets as resources of their team.
@Suite struct AssetStoreTests {
    @Test(arguments: Backend.enabled)
    func lifecycle(_ backend: Backend) async throws {
        try await backend.run(AssetLifecycle())
    }
}

struct AssetLifecycle: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("authz-blobs-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let assets = AssetService(identity: h.service, blobs: BlobStore(folder: folder), limit: 1_000)
        let (owner, organization, team) = try await jobWorld(h)
        let audit = AuditContext(actorID: owner)
        // The body arrives in pieces; the hash is that of the whole.
        let pieces = ["hello ", "blob ", "world"].map { ByteBuffer(string: $0) }
        let upload = try await assets.blobs.receive(pieces.async, limit: assets.limit)
        let expected = Digest.sha256(Array("hello blob world".utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(upload.sha256 == expected && upload.size == 16)
        let (first, _) = try await assets.create(
            upload,
            organization: organization,
            team: team,
            name: "a.txt",
            contentType: "text/plain",
            creator: owner,
            audit: audit
        )
        let path = assets.blobs.path(of: expected)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "hello blob world")
        // Equal content is kept once.
        let again = try await assets.blobs.receive([ByteBuffer(string: "hello blob world")].async, limit: assets.limit)
        let (second, _) = try await assets.create(
            again,
            organization: organization,
            team: nil,
            name: "b.txt",
            contentType: "text/plain",
            creator: owner,
            audit: audit
        )
        let stored = try FileManager.default.subpathsOfDirectory(atPath: folder).filter { !$0.hasPrefix("incoming") && $0.count > 3 }
        #expect(stored == ["\(expected.prefix(2))/\(expected)"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/incoming").isEmpty)

        // Over the limit: refused, nothing left behind.
        await #expect(throws: BlobStore.UploadError.self) {
            _ = try await assets.blobs.receive([ByteBuffer(repeating: 1, count: 600), ByteBuffer(repeating: 2, count: 600)].async, limit: 1_000)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/incoming").isEmpty)
        // A team of another organization: refused, and the upload discarded.
        let other = try await h.service.createOrganization(name: "Other", slug: "other-\(UUID().uuidString.prefix(8).lowercased())", creator: owner).0
            .id
        let stray = try await assets.blobs.receive([ByteBuffer(string: "stray")].async, limit: 1_000)
        await #expect(throws: IdentityError.notFound("team")) {
            _ = try await assets.create(stray, organization: other, team: team, name: "s", contentType: "text/plain", creator: owner, audit: audit)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/incoming").isEmpty)

        // A resource of its team; deleting it removes it from the snapshot; the blob stays
        // while another asset names it, and goes with the last.
        let type = try #require(h.service.policy.resourceType(named: "asset")).id
        #expect(h.service.snapshot.resolve(.stored(type: type, id: first.id))?.team == team)
        _ = try await assets.delete(first.id, audit: audit)
        #expect(h.service.snapshot.resolve(.stored(type: type, id: first.id)) == nil)
        #expect(FileManager.default.fileExists(atPath: path))
        _ = try await assets.delete(second.id, audit: audit)
        #expect(!FileManager.default.fileExists(atPath: path))
        await #expect(throws: IdentityError.notFound("asset")) { _ = try await assets.delete(second.id, audit: audit) }
        let actions = try await h.service.auditRecords(organization: organization, after: 0, limit: 100).map(\.event.action).filter {
            $0.hasPrefix("asset.")
        }
        #expect(actions == ["asset.created", "asset.created", "asset.deleted", "asset.deleted"])
    }
}

extension Array where Element == ByteBuffer {
    /// The pieces as an upload body.
    var async: AsyncStream<ByteBuffer> {
        AsyncStream { continuation in
            for piece in self { continuation.yield(piece) }
            continuation.finish()
        }
    }
}
