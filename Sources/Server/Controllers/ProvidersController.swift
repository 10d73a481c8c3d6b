internal import Authz
import Foundation
internal import Hummingbird
internal import Identity
import JSON
internal import NIOCore
internal import Workloads

/// `/v1/providers`: the catalog, direct execution (whole or streamed as Server-Sent Events)
/// and estimates. Executing needs `provider.execute` on the organization, estimating
/// `provider.read`; every execution writes a usage record.
struct ProvidersController {
    let jobs: JobService
    let streams: StreamLimiter

    var service: IdentityService { self.jobs.identity }

    struct ProviderBody: Encodable, Sendable {
        let name: String
        let description: String
        let capabilities: [String]
        let unit: String
        let pricePerUnit: Int64

        enum CodingKeys: String, CodingKey {
            case name, description, capabilities, unit
            case pricePerUnit = "price_per_unit"
        }

        init(_ descriptor: ProviderDescriptor) {
            self.name = descriptor.name
            self.description = descriptor.description
            self.capabilities = descriptor.capabilities
            self.unit = descriptor.unit
            self.pricePerUnit = descriptor.pricePerUnit
        }
    }

    struct UsageBody: Encodable, Sendable {
        let units: Int64
        let cost: Int64
        let recordID: String

        enum CodingKeys: String, CodingKey {
            case units, cost
            case recordID = "record_id"
        }
    }

    struct ExecutionBody: Encodable, Sendable {
        let provider: String
        let output: JSONValue
        let usage: UsageBody
    }

    struct EstimateBody: Encodable, Sendable {
        let provider: String
        let units: Int64
        let cost: Int64
    }

    func addRoutes(to routes: inout Routes) {
        routes.on(.get, "/v1/providers") { request, context in
            let caller = try context.caller()
            // The catalog is the same for everyone; naming an organization checks the caller
            // may use providers there.
            if let organization = try QueryReader.uuid(request, "organization_id") {
                let authorizer = Authorizer(snapshot: self.service.snapshot, trace: context.trace)
                try authorizer.require("provider.read", on: authorizer.organization(organization), caller: caller)
            }
            let items = self.jobs.providers.all.map { ProviderBody($0.descriptor) }
            return try Envelope.response(ListBody(items: items), request: request, context: context, revision: self.service.snapshot.revision)
        }
        routes.on(.post, "/v1/providers/estimate") { request, context in
            let caller = try context.caller()
            let work = try await WorkRequest.read(request, context, teamAllowed: false)
            try work.authorize("provider.read", caller: caller, Authorizer(snapshot: self.service.snapshot, trace: context.trace))
            let (units, cost) = try self.jobs.estimate(provider: work.provider, input: work.input)
            return try Envelope.response(
                EstimateBody(provider: work.provider, units: units, cost: cost),
                request: request,
                context: context,
                revision: self.service.snapshot.revision
            )
        }
        routes.on(.post, "/v1/providers/execute") { request, context in
            let caller = try context.caller()
            let work = try await self.authorizedExecution(request, context, caller)
            let (output, record) = try await self.jobs.execute(
                organization: work.organization,
                team: work.team,
                provider: work.provider,
                input: work.input,
                principal: caller.principal.id,
                audit: context.auditContext()
            )
            return try Envelope.response(
                ExecutionBody(
                    provider: work.provider,
                    output: output.json,
                    usage: UsageBody(units: record.units, cost: record.cost, recordID: record.id.text)
                ),
                request: request,
                context: context,
                revision: self.service.snapshot.revision
            )
        }
        routes.on(.post, "/v1/providers/execute/stream") { request, context in
            let caller = try context.caller()
            let work = try await self.authorizedExecution(request, context, caller)
            // Input problems are refused here, before the stream starts, as a 400.
            _ = try self.jobs.estimate(provider: work.provider, input: work.input)
            let jobs = self.jobs
            let audit = context.auditContext()
            return SSEResponse.make(holding: try self.streams.permit(for: caller, context), on: context.channel) { writer in
                do {
                    let (output, record) = try await jobs.execute(
                        organization: work.organization,
                        team: work.team,
                        provider: work.provider,
                        input: work.input,
                        principal: caller.principal.id,
                        audit: audit
                    ) { token in
                        try await writer.write(ServerSentEvent(event: "token", data: JSONValue.object(["text": .string(token)]).text).buffer)
                    }
                    let usage: JSONValue = .object([
                        "output": output.json, "units": .number(Double(record.units)), "cost": .number(Double(record.cost)),
                        "record_id": .string(record.id.text),
                    ])
                    try await writer.write(ServerSentEvent(event: "usage", data: usage.text).buffer)
                } catch let error as ProviderError {
                    let apiError = APIError(error)
                    try await writer.write(
                        ServerSentEvent(
                            event: "error",
                            data: JSONValue.object(["code": .string(apiError.code), "message": .string(apiError.message)]).text
                        ).buffer
                    )
                }
            }
        }
    }

    func authorizedExecution(_ request: Request, _ context: AppRequestContext, _ caller: Authentication) async throws -> WorkRequest {
        let work = try await WorkRequest.read(request, context)
        // provider.execute is an organization permission; a team (one the caller can see)
        // only attributes the usage.
        let authorizer = Authorizer(snapshot: self.service.snapshot, trace: context.trace)
        try authorizer.require("provider.execute", on: authorizer.organization(work.organization), caller: caller)
        if work.team != nil {
            try authorizer.require("team.read", inOrganization: work.organization, team: work.team, caller: caller)
        }
        return work
    }
}
