internal import Authz
import Foundation
internal import Hummingbird
internal import Identity
import JSON
internal import Workloads

/// `/v1/workflow-definitions` and `/v1/workflow-runs`: definitions (validated graphs over the
/// providers), runs created with `Idempotency-Key`, started once, cancelled, streamed.
struct WorkflowsController {
    let workflows: WorkflowService
    let runner: JobRunner
    let feed: ChangeFeed
    let streams: StreamLimiter

    var service: IdentityService { self.workflows.identity }

    func addRoutes(to routes: inout Routes) {
        routes.on(.post, "/v1/workflow-definitions") { request, context in
            let caller = try context.caller()
            var reader = JSONReader()
            let fields = reader.object(try await context.jsonBody(of: request), at: "", allowed: ["organization_id", "name", "nodes"])
            let organization = reader.uuid(fields, "organization_id", at: "")
            let name = reader.string(fields, "name", at: "")
            let nodes = Self.nodes(fields?["nodes"], &reader)
            guard reader.problems.isEmpty, let organization, let name, let nodes else { throw APIError.validation(reader.problems) }
            let authorizer = Authorizer(snapshot: self.service.snapshot, trace: context.trace)
            try authorizer.require("workflow.create", on: authorizer.organization(organization), caller: caller)
            let (definition, revision) = try await self.workflows.createDefinition(
                organization: organization,
                name: name,
                nodes: nodes,
                creator: caller.principal.id,
                audit: context.auditContext()
            )
            return try Envelope.response(WorkflowDefinitionBody(definition), status: .created, request: request, context: context, revision: revision)
        }
        routes.on(.get, "/v1/workflow-definitions") { request, context in
            let caller = try context.caller()
            let page = try Page<UUID>(request)
            let organization = try QueryReader.requiredUUID(request, "organization_id")
            let snapshot = self.service.snapshot
            let authorizer = Authorizer(snapshot: snapshot, trace: context.trace)
            try authorizer.require("organization.read", on: authorizer.organization(organization), caller: caller)
            let found = try authorizer.readable(
                "workflow.read",
                WorkflowDefinition.resourceType,
                in: organization,
                caller: caller,
                after: page.after,
                limit: page.limit
            )
            let definitions = try await self.workflows.definitions(ids: found.ids)
            return try Envelope.response(
                ListBody(items: definitions.map(WorkflowDefinitionBody.init)),
                request: request,
                context: context,
                revision: snapshot.revision,
                links: found.next != nil ? page.links(request, count: page.limit, last: found.ids.last) : [:]
            )
        }
        routes.on(.get, "/v1/workflow-definitions/:id") { request, context in
            let definition = try await self.guardedDefinition(context, "workflow.read")
            return try Envelope.response(
                WorkflowDefinitionBody(definition),
                request: request,
                context: context,
                revision: self.service.snapshot.revision
            )
        }
        routes.on(.post, "/v1/workflow-runs", idempotent: true) { request, context in
            let caller = try context.caller()
            var reader = JSONReader()
            let fields = reader.object(try await context.jsonBody(of: request), at: "", allowed: ["definition_id", "team_id", "input"])
            let definitionID = reader.uuid(fields, "definition_id", at: "")
            let team = reader.uuid(fields, "team_id", at: "", required: false)
            var input: [String: JSONValue] = [:]
            switch fields?["input"] {
            case .object(let members)?: input = members
            case nil, .null?: break
            case let other?: reader.problem("input", "must be an object, not \(other.kind)")
            }
            guard reader.problems.isEmpty, let definitionID else { throw APIError.validation(reader.problems) }
            let authorizer = Authorizer(snapshot: self.service.snapshot, trace: context.trace)
            // The definition must be one the caller can read; the run is created in its
            // organization (and team).
            try authorizer.require("workflow.read", onStored: WorkflowDefinition.resourceType, id: definitionID, caller: caller)
            guard let definition = try await self.workflows.definition(definitionID) else { throw APIError.notFound("no such workflow definition") }
            try authorizer.require("workflow_run.create", inOrganization: definition.organizationID, team: team, caller: caller)
            let (run, revision) = try await self.workflows.createRun(
                definition: definitionID,
                team: team,
                input: input,
                creator: caller.principal.id,
                audit: context.auditContext()
            )
            return try Envelope.response(WorkflowRunBody(run), status: .created, request: request, context: context, revision: revision)
        }
        routes.on(.get, "/v1/workflow-runs/:id") { request, context in
            let run = try await self.guardedRun(context, "workflow_run.read")
            return try Envelope.response(WorkflowRunBody(run), request: request, context: context, revision: self.service.snapshot.revision)
        }
        routes.on(.post, "/v1/workflow-runs/:id/start") { request, context in
            let run = try await self.guardedRun(context, "workflow_run.start")
            let (started, revision) = try await self.workflows.start(run.id, audit: context.auditContext())
            self.runner.nudge()
            return try Envelope.response(WorkflowRunBody(started), request: request, context: context, revision: revision)
        }
        routes.on(.post, "/v1/workflow-runs/:id/cancel") { request, context in
            let run = try await self.guardedRun(context, "workflow_run.cancel")
            let (cancelled, revision) = try await self.workflows.cancel(run.id, audit: context.auditContext())
            await self.runner.stop(run.id)
            return try Envelope.response(WorkflowRunBody(cancelled), request: request, context: context, revision: revision)
        }
        routes.on(.get, "/v1/workflow-runs/:id/events") { request, context in
            let run = try await self.guardedRun(context, "workflow_run.read")
            let (workflows, id) = (self.workflows, run.id)
            return ResourceEventsResponse.make(
                holding: try self.streams.permit(for: context.caller(), context),
                on: context.channel,
                feed: self.feed,
                after: try ResourceEventsResponse.after(request),
                read: { after in try await workflows.identity.resourceEvents(of: id, after: after, limit: 100) },
                hasEnded: { try await workflows.run(id)?.status.isFinal != false },
                concerns: { if case .workflowRunChanged(_, id, _, _) = $0 { true } else { false } }
            )
        }
    }

    /// `nodes`: a list of `{id, provider, input, depends_on?}`, read with field paths.
    static func nodes(_ value: JSONValue?, _ reader: inout JSONReader) -> [WorkflowNode]? {
        guard let value else {
            reader.problem("nodes", "is required")
            return nil
        }
        guard case .array(let items) = value else {
            reader.problem("nodes", "must be a list, not \(value.kind)")
            return nil
        }
        guard items.count <= WorkflowGraph.maximumNodes else {
            reader.problem("nodes", "must hold 1 to \(WorkflowGraph.maximumNodes) nodes")
            return nil
        }
        var nodes: [WorkflowNode] = []
        for (index, item) in items.enumerated() {
            let path = "nodes[\(index)]"
            let fields = reader.object(item, at: path, allowed: ["id", "provider", "input", "depends_on"])
            let id = reader.string(fields, "id", at: path)
            let provider = reader.string(fields, "provider", at: path)
            let dependsOn = reader.strings(fields, "depends_on", at: path) ?? []
            var input: [String: JSONValue]?
            switch fields?["input"] {
            case .object(let members)?: input = members
            case nil, .null?: input = [:]
            case let other?: reader.problem("\(path).input", "must be an object, not \(other.kind)")
            }
            if let id, let provider, let input { nodes.append(WorkflowNode(id: id, provider: provider, input: input, dependsOn: dependsOn)) }
        }
        return nodes
    }

    func guardedDefinition(_ context: AppRequestContext, _ permission: String) async throws -> WorkflowDefinition {
        let caller = try context.caller()
        let id = try context.pathID("id")
        try Authorizer(snapshot: self.service.snapshot, trace: context.trace).require(
            permission,
            onStored: WorkflowDefinition.resourceType,
            id: id,
            caller: caller
        )
        guard let definition = try await self.workflows.definition(id) else { throw APIError.notFound("no such workflow definition") }
        return definition
    }

    func guardedRun(_ context: AppRequestContext, _ permission: String) async throws -> WorkflowRun {
        let caller = try context.caller()
        let id = try context.pathID("id")
        try Authorizer(snapshot: self.service.snapshot, trace: context.trace).require(
            permission,
            onStored: WorkflowRun.resourceType,
            id: id,
            caller: caller
        )
        guard let run = try await self.workflows.run(id) else { throw APIError.notFound("no such workflow run") }
        return run
    }
}
