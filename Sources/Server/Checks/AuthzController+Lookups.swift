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

    /// A page of a lookup and the snapshot it was answered from (its revision is the one the
    /// next page's cursor pins).
    struct LookupAnswer {
        let page: LookupPage
        let snapshot: AuthzSnapshot

        var cursor: String? { self.page.next.map { LookupCursor(revision: self.snapshot.revision, after: $0).text } }
    }

    func addLookupRoutes(to routes: inout Routes) {
        routes.on(.post, "/v1/authz/lookup-resources", use: self.lookupResources)
        routes.on(.post, "/v1/authz/lookup-subjects", use: self.lookupSubjects)
    }

    func lookupResources(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.lookUp(request, context, parse: { ResourceLookup.parse($0, queryCursor: $1, policy: $2, reader: &$3) }, answer: self.answer)
    }

    func lookupSubjects(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.lookUp(request, context, parse: { SubjectLookup.parse($0, queryCursor: $1, policy: $2, reader: &$3) }, answer: self.answer)
    }

    /// Reads the body (and `links.next`'s cursor), waits for its `min_revision`, answers.
    private func lookUp<Question: LookupQuestion>(
        _ request: Request,
        _ context: AppRequestContext,
        parse: (JSONValue, String?, Policy, inout JSONReader) -> Question?,
        answer: (Question, Authentication, RequestTrace?) throws -> LookupAnswer
    ) async throws -> Response {
        let caller = try context.caller()
        var reader = JSONReader()
        let body = try await context.jsonBody(of: request)
        guard let question = parse(body, Self.queryCursor(request), self.service.policy, &reader) else {
            throw APIError.validation(Self.unique(reader.problems))
        }
        try await self.wait(for: question.minimumRevision)
        return try self.respond(try answer(question, caller, context.trace), type: question.itemType, request: request, context: context)
    }

    /// Decides a resource lookup on the cursor's snapshot (or the current one): HTTP and gRPC
    /// both answer through here, after waiting for the lookup's `min_revision` their own way.
    func answer(_ lookup: ResourceLookup, caller: Authentication, trace: RequestTrace?) throws -> LookupAnswer {
        let snapshot = try self.snapshot(for: lookup.cursor)
        let me = caller.principal.id
        let subject = lookup.subject ?? me
        if subject != me {
            let authorizer = Authorizer(snapshot: snapshot, trace: trace)
            try authorizer.require("authz.check", on: authorizer.organization(lookup.organization), caller: caller)
        }
        let page = snapshot.lookupResources(
            subject: subject,
            permission: lookup.permission,
            type: lookup.type.id,
            organization: lookup.organization,
            scopes: subject == me ? caller.scopes : nil,
            after: lookup.cursor?.after,
            limit: lookup.limit
        )
        return LookupAnswer(page: page, snapshot: snapshot)
    }

    func answer(_ lookup: SubjectLookup, caller: Authentication, trace: RequestTrace?) throws -> LookupAnswer {
        let snapshot = try self.snapshot(for: lookup.cursor)
        guard let resource = snapshot.resolve(lookup.item.resource) else { throw APIError.notFound("no such resource") }
        let authorizer = Authorizer(snapshot: snapshot, trace: trace)
        try authorizer.require("authz.check", on: authorizer.organization(resource.organization), caller: caller)
        let page = snapshot.lookupSubjects(permission: lookup.item.permission, on: resource, after: lookup.cursor?.after, limit: lookup.limit)
        return LookupAnswer(page: page, snapshot: snapshot)
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

    func respond(_ answer: LookupAnswer, type: String, request: Request, context: AppRequestContext) throws -> Response {
        let cursor = answer.cursor
        let result = LookupResult(
            items: answer.page.ids.map { LookupItem(type: type, id: $0.text) },
            revision: String(answer.snapshot.revision),
            cursor: cursor
        )
        var links: [String: String] = [:]
        if let cursor {
            links["next"] = "\(request.uri.path)?cursor=\(cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cursor)"
        }
        return try Envelope.response(result, request: request, context: context, revision: answer.snapshot.revision, links: links)
    }

    private static func queryCursor(_ request: Request) -> String? {
        request.uri.queryParameters["cursor"].map(String.init)
    }
}
