internal import Authz
import Foundation
internal import Hummingbird
internal import Identity
import JSON
internal import Workloads

/// `/v1/organizations/{id}/usage` (sums by provider, team or day) and `.../usage/records`;
/// both need `usage.read`.
struct UsageController {
    let jobs: JobService

    var service: IdentityService { self.jobs.identity }

    struct TotalBody: Encodable, Sendable {
        let key: String
        let units: Int64
        let cost: Int64
        let records: Int64
    }

    struct SummaryBody: Encodable, Sendable {
        let groupBy: String
        @Nullable var from: String?
        @Nullable var to: String?
        let groups: [TotalBody]
        let total: TotalBody

        enum CodingKeys: String, CodingKey {
            case from, to, groups, total
            case groupBy = "group_by"
        }
    }

    func addRoutes(to routes: inout Routes) {
        routes.on(.get, "/v1/organizations/:id/usage") { request, context in
            let filter = try self.authorizedFilter(request, context)
            var grouping = UsageGrouping.provider
            if let text = request.uri.queryParameters["group_by"] {
                guard let value = UsageGrouping(rawValue: String(text)) else {
                    throw APIError.validation([FieldError(field: "group_by", message: "must be provider, team or day")])
                }
                grouping = value
            }
            let totals = try await self.jobs.usageTotals(filter, by: grouping)
            let groups = totals.map { TotalBody(key: $0.key, units: $0.units, cost: $0.cost, records: $0.records) }
            let total = TotalBody(
                key: "total",
                units: totals.reduce(0) { $0 + $1.units },
                cost: totals.reduce(0) { $0 + $1.cost },
                records: totals.reduce(0) { $0 + $1.records }
            )
            return try Envelope.response(
                SummaryBody(
                    groupBy: grouping.rawValue,
                    from: filter.from.map(Timestamp.format),
                    to: filter.to.map(Timestamp.format),
                    groups: groups,
                    total: total
                ),
                request: request,
                context: context,
                revision: self.service.snapshot.revision
            )
        }
        routes.on(.get, "/v1/organizations/:id/usage/records") { request, context in
            let filter = try self.authorizedFilter(request, context)
            let page = try Page<UUID>(request)
            let records = try await self.jobs.usageRecords(filter, after: page.after, limit: page.limit)
            return try Envelope.response(
                ListBody(items: records.map(UsageRecordBody.init)),
                request: request,
                context: context,
                revision: self.service.snapshot.revision,
                links: page.links(request, count: records.count, last: records.last?.id)
            )
        }
    }

    /// `usage.read` on the organization, then `from`, `to` and `job_id` from the query.
    func authorizedFilter(_ request: Request, _ context: AppRequestContext) throws -> UsageFilter {
        let caller = try context.caller()
        let id = try context.pathID("id")
        let authorizer = Authorizer(snapshot: self.service.snapshot, trace: context.trace)
        try authorizer.require("usage.read", on: authorizer.organization(id), caller: caller)
        var query = QueryReader(request)
        let (from, to) = (query.timestamp("from"), query.timestamp("to"))
        let filter = UsageFilter(organization: id, job: query.uuid("job_id"), from: from, to: to)
        guard query.problems.isEmpty else { throw APIError.validation(query.problems) }
        return filter
    }
}
