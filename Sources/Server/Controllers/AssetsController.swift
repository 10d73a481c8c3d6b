internal import Authz
import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import Identity
import JSON
internal import Workloads

/// `/v1/assets`: raw uploads streamed to the blob folder (25 MiB at most), downloads with an
/// `ETag` (the content's SHA-256) and `If-None-Match`, deletion. Assets belong to an
/// organization and optionally a team, and are authorized like every stored resource.
struct AssetsController {
    let assets: AssetService

    var service: IdentityService { self.assets.identity }

    func addRoutes(to routes: inout Routes) {
        routes.on(.post, "/v1/assets") { request, context in
            let caller = try context.caller()
            let (organization, team, name) = try Self.target(request)
            try Authorizer(snapshot: self.service.snapshot, trace: context.trace).require(
                "asset.create",
                inOrganization: organization,
                team: team,
                caller: caller
            )
            // A declared length above the limit is refused before a byte is read.
            if let length = request.headers[.contentLength].flatMap({ Int64($0) }), length > self.assets.limit {
                throw BlobStore.UploadError.tooLarge(limit: self.assets.limit)
            }
            let contentType = request.headers[.contentType] ?? "application/octet-stream"
            guard contentType.utf8.count <= 255 else {
                throw APIError.validation([FieldError(field: "Content-Type", message: "must be at most 255 characters")])
            }
            let upload = try await self.assets.blobs.receive(request.body, limit: self.assets.limit)
            let (asset, revision) = try await self.assets.create(
                upload,
                organization: organization,
                team: team,
                name: name,
                contentType: contentType,
                creator: caller.principal.id,
                audit: context.auditContext()
            )
            return try Envelope.response(AssetBody(asset), status: .created, request: request, context: context, revision: revision)
        }
        routes.on(.get, "/v1/assets/:id") { request, context in
            let asset = try await self.guarded(context, "asset.read")
            let etag = "\"\(asset.sha256)\""
            var headers: HTTPFields = [.eTag: etag, .cacheControl: "private, no-cache", HTTPField.Name("X-Content-Type-Options")!: "nosniff"]
            if let match = request.headers[.ifNoneMatch],
                match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag || $0 == "*" })
            {
                return Response(status: .notModified, headers: headers)
            }
            headers[.contentType] = asset.contentType
            headers[.contentLength] = String(asset.size)
            let body = try await FileIO().loadFile(path: self.assets.blobs.path(of: asset.sha256), context: context)
            return Response(status: .ok, headers: headers, body: body)
        }
        routes.on(.delete, "/v1/assets/:id") { request, context in
            let asset = try await self.guarded(context, "asset.delete")
            let revision = try await self.assets.delete(asset.id, audit: context.auditContext())
            return try Envelope.response(AssetBody(asset), request: request, context: context, revision: revision)
        }
    }

    /// `organization_id`, `team_id` and `name` from the query (an upload's body is the file).
    static func target(_ request: Request) throws -> (organization: UUID, team: UUID?, name: String) {
        var query = QueryReader(request)
        let organization = query.uuid("organization_id")
        if query.parameters["organization_id"] == nil { query.problem("organization_id", "is required") }
        let team = query.uuid("team_id")
        var name: String?
        do {
            name = try AssetService.validateName(query.parameters["name"].map(String.init) ?? "")
        } catch {
            query.problem("name", query.parameters["name"] == nil ? "is required" : "must be 1 to 255 characters, without slashes or line breaks")
        }
        guard query.problems.isEmpty, let organization, let name else { throw APIError.validation(query.problems) }
        return (organization, team, name)
    }

    func guarded(_ context: AppRequestContext, _ permission: String) async throws -> Asset {
        let caller = try context.caller()
        let id = try context.pathID("id")
        try Authorizer(snapshot: self.service.snapshot, trace: context.trace).require(
            permission,
            onStored: Asset.resourceType,
            id: id,
            caller: caller
        )
        guard let asset = try await self.assets.asset(id) else { throw APIError.notFound("no such asset") }
        return asset
    }
}
