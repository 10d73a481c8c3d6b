public import Foundation
public import Identity
internal import Logging

/// Assets: a record in the store and a blob in the folder, kept in step. Blob files are moved
/// in and removed inside the write transaction that records the change (writes are serialized
/// on both stores), so an upload and a delete of the same content cannot cross: a blob goes
/// only when no asset names it.
public struct AssetService: Sendable {
    public let identity: IdentityService
    public let blobs: BlobStore
    /// docs/API.md §1: assets up to 25 MiB.
    public let limit: Int64

    public init(identity: IdentityService, blobs: BlobStore, limit: Int64 = 25 << 20) {
        self.identity = identity
        self.blobs = blobs
        self.limit = limit
    }

    public static func validateName(_ name: String) throws(IdentityError) -> String {
        // No slash (a name is not a path) and no CR or LF (it goes into a header on download).
        let trimmed = name.trimmingBlank()
        guard name.scalarCount <= 255, !trimmed.isEmpty, !trimmed.unicodeScalars.contains(where: { $0 == "/" || $0 == "\r" || $0 == "\n" }) else {
            throw .invalid(field: "name", message: "must be 1 to 255 characters, without slashes or line breaks")
        }
        return trimmed
    }

    /// Records an upload already received by the blob store.
    public func create(
        _ upload: BlobStore.Upload,
        organization: UUID,
        team: UUID?,
        name: String,
        contentType: String,
        creator: UUID,
        audit: AuditContext
    ) async throws(IdentityError) -> (Asset, revision: UInt64) {
        let now = self.identity.now()
        let asset = Asset(
            id: UUID.timeOrdered(at: now),
            organizationID: organization,
            teamID: team,
            createdBy: creator,
            name: name,
            contentType: contentType,
            size: upload.size,
            sha256: upload.sha256,
            createdAt: now
        )
        let blobs = self.blobs
        do {
            return try await self.identity.writeWorkloads(audit: audit) { transaction in
                if let team, try await transaction.team(team)?.organizationID != organization { throw IdentityError.notFound("team") }
                try await transaction.insertAsset(asset)
                try await blobs.keep(upload)
                return (asset, [.resourceCreated(organization: organization, type: Asset.resourceType, id: asset.id, team: team, creator: creator)])
            }
        } catch {
            await blobs.discard(upload)
            throw error
        }
    }

    public func asset(_ id: UUID) async throws(IdentityError) -> Asset? {
        try await self.identity.readWorkloads { try await $0.asset(id) }
    }

    public func delete(_ id: UUID, audit: AuditContext) async throws(IdentityError) -> UInt64 {
        let blobs = self.blobs
        return try await self.identity.writeWorkloads(audit: audit) { transaction in
            guard let asset = try await transaction.asset(id) else { throw IdentityError.notFound("asset") }
            try await transaction.deleteAsset(id)
            try await Self.removeUnshared([asset.sha256], blobs: blobs, transaction)
            return ((), [.resourceDeleted(organization: asset.organizationID, type: Asset.resourceType, id: id)])
        }.revision
    }

    /// Deletes an organization (see `IdentityService.deleteOrganization`) and the contents of
    /// its assets that no other organization's assets share.
    public func deleteOrganization(_ id: UUID, audit: AuditContext) async throws(IdentityError) -> UInt64 {
        let blobs = self.blobs
        return try await self.identity.deleteOrganization(id, audit: audit) { transaction, dependents in
            try await Self.removeUnshared(dependents.assetDigests, blobs: blobs, IdentityService.workloads(transaction))
        }
    }

    /// A blob no asset names any more is removed. Failing to remove one leaves a file behind,
    /// never a record without its content, so it is logged and the write goes on.
    static func removeUnshared(_ digests: [String], blobs: BlobStore, _ transaction: any WorkloadTransaction) async throws {
        for digest in digests where try await transaction.countAssets(sha256: digest) == 0 {
            do {
                try await blobs.remove(sha256: digest)
            } catch {
                Logger(label: "authz.assets").warning("could not remove an asset's content", metadata: ["sha256": "\(digest)", "error": "\(error)"])
            }
        }
    }
}
