internal import Authz
import Foundation
internal import Hummingbird
internal import Identity
import JSON
internal import NIOCore
internal import Workloads

/// `/v1/jobs`: submit (with `Idempotency-Key`), read, list what the caller may read, usage,
/// the event stream, cancel. Jobs belong to an organization and optionally a team, so team
/// roles and the creator rule reach them through the evaluator like any stored resource.
struct JobsController {
    let jobs: JobService
    let runner: JobRunner
    let feed: ChangeFeed
    let streams: StreamLimiter

    var service: IdentityService { self.jobs.identity }

    func addRoutes(to routes: inout Routes) {
        routes.on(.post, "/v1/jobs", idempotent: true) { request, context in
            let caller = try context.caller()
            let work = try await WorkRequest.read(request, context)
            try work.authorize("job.create", caller: caller, Authorizer(snapshot: self.service.snapshot, trace: context.trace))
            let (job, revision) = try await self.jobs.submit(
                organization: work.organization,
                team: work.team,
                provider: work.provider,
                input: work.input,
                creator: caller.principal.id,
                audit: context.auditContext()
            )
            self.runner.nudge()
            return try Envelope.response(JobBody(job), status: .created, request: request, context: context, revision: revision)
        }
        routes.on(.get, "/v1/jobs") { request, context in
            try await self.list(request, context)
        }
        routes.on(.get, "/v1/jobs/:id") { request, context in
            let job = try await self.guarded(context, "job.read")
            return try Envelope.response(JobBody(job), request: request, context: context, revision: self.service.snapshot.revision)
        }
        routes.on(.post, "/v1/jobs/:id/cancel") { request, context in
            let job = try await self.guarded(context, "job.cancel")
            let (cancelled, revision) = try await self.jobs.cancel(job.id, audit: context.auditContext())
            await self.runner.stop(job.id)
            return try Envelope.response(JobBody(cancelled), request: request, context: context, revision: revision)
        }
        routes.on(.get, "/v1/jobs/:id/usage") { request, context in
            let job = try await self.guarded(context, "job.read")
            let page = try Page<UUID>(request)
            let records = try await self.jobs.usageRecords(
                UsageFilter(organization: job.organizationID, job: job.id),
                after: page.after,
                limit: page.limit
            )
            return try Envelope.response(
                ListBody(items: records.map(UsageRecordBody.init)),
                request: request,
                context: context,
                revision: self.service.snapshot.revision,
                links: page.links(request, count: records.count, last: records.last?.id)
            )
        }
        routes.on(.get, "/v1/jobs/:id/events") { request, context in
            let job = try await self.guarded(context, "job.read")
            let jobs = self.jobs
            let id = job.id
            return ResourceEventsResponse.make(
                holding: try self.streams.permit(for: context.caller(), context),
                on: context.channel,
                feed: self.feed,
                after: try ResourceEventsResponse.after(request),
                read: { after in try await jobs.identity.resourceEvents(of: id, after: after, limit: 100) },
                hasEnded: { try await jobs.job(id)?.status.isFinal != false },
                concerns: { if case .jobChanged(_, id, _) = $0 { true } else { false } }
            )
        }
    }

    /// The job, if the caller holds `permission` on it (404 when it cannot see it).
    func guarded(_ context: AppRequestContext, _ permission: String) async throws -> Job {
        let caller = try context.caller()
        let id = try context.pathID("id")
        try Authorizer(snapshot: self.service.snapshot, trace: context.trace).require(permission, onStored: Job.resourceType, id: id, caller: caller)
        guard let job = try await self.jobs.job(id) else { throw APIError.notFound("no such job") }
        return job
    }

    /// Only jobs the caller may read: the evaluator's lookup pages through the ids, the store
    /// reads those rows (and applies the status filter). Without `organization_id`, every
    /// organization the caller belongs to.
    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        let page = try Page<UUID>(request)
        let query = request.uri.queryParameters
        var status: JobStatus?
        if let text = query["status"] {
            guard let value = JobStatus(rawValue: String(text)) else {
                throw APIError.validation([FieldError(field: "status", message: "must be one of queued, running, succeeded, failed, cancelled")])
            }
            status = value
        }
        let snapshot = self.service.snapshot
        let authorizer = Authorizer(snapshot: snapshot, trace: context.trace)
        let organizations: [UUID]
        if let organization = try QueryReader.uuid(request, "organization_id") {
            try authorizer.require("organization.read", on: authorizer.organization(organization), caller: caller)
            organizations = [organization]
        } else {
            organizations = try await self.service.memberships(of: caller.principal.id).map(\.organizationID)
        }
        var ids: [UUID] = []
        var more = false
        for organization in organizations {
            let found = try authorizer.readable("job.read", Job.resourceType, in: organization, caller: caller, after: page.after, limit: page.limit)
            ids += found.ids
            more = more || found.next != nil
        }
        ids.sort()
        if ids.count > page.limit {
            ids.removeLast(ids.count - page.limit)
            more = true
        }
        let found = try await self.jobs.jobs(ids: ids, status: status)
        return try Envelope.response(
            ListBody(items: found.map(JobBody.init)),
            request: request,
            context: context,
            revision: snapshot.revision,
            links: more ? page.links(request, count: page.limit, last: ids.last) : [:]
        )
    }
}
