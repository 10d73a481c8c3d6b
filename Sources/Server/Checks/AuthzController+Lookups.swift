internal import Authz
import Foundation
internal import Hummingbird
internal import Identity
import JSON

extension AuthzController {
    struct LookupItem: Encodable, Sendable {
        let type: String
        let id: String
    }

    struct LookupResult: Encodable, Sendable {
        let items: [LookupItem]
        let revision: String
        /// Also in `links.next`: what to send as `cursor` for the next page.
        let cursor: String?
    }

    func addLookupRoutes(to routes: inout Routes) {
        routes.on(.post, "/v1/authz/lookup-resources") { request, context in
            let caller = try context.caller()
            var reader = JSONReader()
            let policy = self.service.policy
            let fields = reader.object(
                try await context.jsonBody(of: request),
                at: "",
                allowed: ["subject", "permission", "resource_type", "organization_id", "limit", "cursor", "consistency"]
            )
            let subject = CheckItem.subject(fields?["subject"], at: "subject", reader: &reader)
            let typeName = reader.string(fields, "resource_type", at: "")
            let type = typeName.flatMap { policy.resourceType(named: $0) }
            if let typeName, type == nil { reader.problem("resource_type", "unknown resource type '\(typeName)'") }
            if let type, type.isExternal { reader.problem("resource_type", "'\(type.name)' is external: the service stores none to list") }
            let permission = self.permission(fields, applyingTo: type, reader: &reader)
            let organization = reader.uuid(fields, "organization_id", at: "")
            let (limit, cursor) = Self.paging(fields, query: request.uri.queryParameters["cursor"].map(String.init), reader: &reader)
            let minimum = Self.minimumRevision(fields, reader: &reader)
            guard reader.problems.isEmpty, let type, let permission, let organization else { throw APIError.validation(Self.unique(reader.problems)) }
            try await self.wait(for: minimum)
            let snapshot = try self.snapshot(for: cursor)
            let me = caller.principal.id
            if let subject, subject != me {
                let authorizer = Authorizer(snapshot: snapshot, trace: context.trace)
                try authorizer.require("authz.check", on: authorizer.organization(organization), caller: caller)
            }
            let page = snapshot.lookupResources(
                subject: subject ?? me,
                permission: permission,
                type: type.id,
                organization: organization,
                scopes: (subject ?? me) == me ? caller.scopes : nil,
                after: cursor?.after,
                limit: limit
            )
            return try self.respond(page, type: type.name, snapshot: snapshot, request: request, context: context)
        }
        routes.on(.post, "/v1/authz/lookup-subjects") { request, context in
            let caller = try context.caller()
            var reader = JSONReader()
            let policy = self.service.policy
            let fields = reader.object(
                try await context.jsonBody(of: request),
                at: "",
                allowed: ["permission", "resource", "limit", "cursor", "consistency"]
            )
            // The resource and permission read as in a check (the same rules, the same paths).
            let item = CheckItem.parse(
                .object(fields?.filter { ["permission", "resource"].contains($0.key) } ?? [:]),
                at: "",
                allowed: ["permission", "resource"],
                policy: policy,
                reader: &reader
            )
            let (limit, cursor) = Self.paging(fields, query: request.uri.queryParameters["cursor"].map(String.init), reader: &reader)
            let minimum = Self.minimumRevision(fields, reader: &reader)
            guard reader.problems.isEmpty, let item else { throw APIError.validation(Self.unique(reader.problems)) }
            try await self.wait(for: minimum)
            let snapshot = try self.snapshot(for: cursor)
            guard let resource = snapshot.resolve(item.resource) else { throw APIError.notFound("no such resource") }
            let authorizer = Authorizer(snapshot: snapshot, trace: context.trace)
            try authorizer.require("authz.check", on: authorizer.organization(resource.organization), caller: caller)
            let page = snapshot.lookupSubjects(permission: item.permission, on: resource, after: cursor?.after, limit: limit)
            return try self.respond(page, type: "principal", snapshot: snapshot, request: request, context: context)
        }
    }

    /// The snapshot a lookup answers from: the cursor's, or the current one for a first page.
    func snapshot(for cursor: LookupCursor?) throws -> AuthzSnapshot {
        guard let cursor else { return self.service.snapshot }
        guard let pinned = self.service.follower.live.snapshot(at: cursor.revision) else {
            // Well formed, but of a revision this replica no longer keeps (or never had): gone.
            throw APIError(.gone, code: "gone", message: "the cursor's revision is no longer kept; start the lookup again without it")
        }
        return pinned
    }

    func respond(_ page: LookupPage, type: String, snapshot: AuthzSnapshot, request: Request, context: AppRequestContext) throws -> Response {
        let cursor = page.next.map { LookupCursor(revision: snapshot.revision, after: $0).text }
        let result = LookupResult(
            items: page.ids.map { LookupItem(type: type, id: $0.text) },
            revision: String(snapshot.revision),
            cursor: cursor
        )
        var links: [String: String] = [:]
        if let cursor {
            links["next"] = "\(request.uri.path)?cursor=\(cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cursor)"
        }
        return try Envelope.response(result, request: request, context: context, revision: snapshot.revision, links: links)
    }

    func permission(_ fields: [String: JSONValue]?, applyingTo type: ResourceType?, reader: inout JSONReader) -> PermissionID? {
        let policy = self.service.policy
        guard let name = reader.string(fields, "permission", at: "") else { return nil }
        guard let permission = policy.permission(named: name) else {
            reader.problem("permission", "unknown permission '\(name)'")
            return nil
        }
        if let type, !type.permissions.contains(permission) {
            reader.problem("permission", "'\(name)' does not apply to a \(type.name)")
        }
        return permission
    }

    /// `limit` (1–200, default 50) and `cursor`, from the body or else the query: the next
    /// page is the same body posted to `links.next`.
    static func paging(_ fields: [String: JSONValue]?, query: String?, reader: inout JSONReader) -> (Int, LookupCursor?) {
        var limit = 50
        switch fields?["limit"] {
        case .number(let number)? where number == number.rounded() && (1...200).contains(number): limit = Int(number)
        case nil, .null?: break
        default: reader.problem("limit", "must be a whole number from 1 to 200")
        }
        var cursor: LookupCursor?
        if let text = reader.string(fields, "cursor", at: "", required: false) ?? query {
            cursor = LookupCursor(text)
            if cursor == nil { reader.problem("cursor", "is not a cursor this API issued") }
        }
        return (limit, cursor)
    }
}
