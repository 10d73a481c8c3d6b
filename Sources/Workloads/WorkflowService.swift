public import Foundation
public import Identity
public import JSON
internal import Logging

/// Workflow definitions and runs: a run is created, started once (queued for the runner),
/// executed node by node in dependency order (independent nodes at once), and ends when every
/// node succeeded, one failed, or it was cancelled. Every step is one transaction with its
/// event, usage, change-log entry and audit record.
public struct WorkflowService: Sendable {
    static var logger: Logger { Logger(label: "authz.workflows") }

    public let identity: IdentityService
    public let providers: ProviderCatalog

    public init(identity: IdentityService, providers: ProviderCatalog = .builtIn) {
        self.identity = identity
        self.providers = providers
    }

    // MARK: Definitions

    public func createDefinition(
        organization: UUID,
        name: String,
        nodes: [WorkflowNode],
        creator: UUID,
        audit: AuditContext
    ) async throws(IdentityError) -> (WorkflowDefinition, revision: UInt64) {
        guard name.scalarCount <= 200, !name.trimmingBlank().isEmpty else { throw .invalid(field: "name", message: "must be 1 to 200 characters") }
        let name = name.trimmingBlank()
        try WorkflowGraph.validate(nodes, providers: self.providers)
        let now = self.identity.now()
        let definition = WorkflowDefinition(
            id: UUID.timeOrdered(at: now),
            organizationID: organization,
            name: name,
            nodes: Self.encode(nodes),
            createdBy: creator,
            createdAt: now
        )
        return try await self.identity.writeWorkloads(audit: audit) { transaction in
            guard try await transaction.organization(organization) != nil else { throw IdentityError.notFound("organization") }
            try await transaction.insertWorkflowDefinition(definition)
            return (
                definition,
                [.resourceCreated(organization: organization, type: WorkflowDefinition.resourceType, id: definition.id, team: nil, creator: creator)]
            )
        }
    }

    public func definition(_ id: UUID) async throws(IdentityError) -> WorkflowDefinition? {
        try await self.identity.readWorkloads { try await $0.workflowDefinition(id) }
    }

    public func definitions(ids: [UUID]) async throws(IdentityError) -> [WorkflowDefinition] {
        try await self.identity.readWorkloads { try await $0.workflowDefinitions(ids: ids) }
    }

    // MARK: Runs

    /// `input`: per-node overrides, `{"node id": {field: value}}`, merged over the node's own
    /// input and checked against its provider.
    public func createRun(
        definition id: UUID,
        team: UUID?,
        input: [String: JSONValue],
        creator: UUID,
        audit: AuditContext
    ) async throws(IdentityError) -> (WorkflowRun, revision: UInt64) {
        guard let definition = try await self.definition(id) else { throw .notFound("workflow definition") }
        let nodes = definition.graph
        for key in input.keys.sorted() {
            guard let node = nodes.first(where: { $0.id == key }) else {
                throw .invalid(field: "input.\(key)", message: "no node is called '\(key)'")
            }
            guard case .object = input[key] else { throw .invalid(field: "input.\(key)", message: "must be an object") }
            try WorkflowGraph.checkInput(of: Self.merged(node, input), providers: self.providers, at: "input.\(key)")
        }
        let now = self.identity.now()
        let states = Dictionary(uniqueKeysWithValues: nodes.map { ($0.id, NodeState(status: "pending")) })
        let run = WorkflowRun(
            id: UUID.timeOrdered(at: now),
            organizationID: definition.organizationID,
            teamID: team,
            definitionID: id,
            createdBy: creator,
            input: JSONValue.object(input).text,
            status: .created,
            nodes: Self.encode(states),
            createdAt: now
        )
        return try await self.identity.writeWorkloads(audit: audit) { transaction in
            if let team, try await transaction.team(team)?.organizationID != definition.organizationID { throw IdentityError.notFound("team") }
            try await transaction.insertWorkflowRun(run)
            _ = try await transaction.appendResourceEvent(resource: run.id, type: "status", data: Self.statusData(run), at: now)
            return (
                run, [.resourceCreated(organization: run.organizationID, type: WorkflowRun.resourceType, id: run.id, team: team, creator: creator)]
            )
        }
    }

    public func run(_ id: UUID) async throws(IdentityError) -> WorkflowRun? {
        try await self.identity.readWorkloads { try await $0.workflowRun(id) }
    }

    /// created → queued; anything else is 409 (a run starts once).
    public func start(_ id: UUID, audit: AuditContext) async throws(IdentityError) -> (WorkflowRun, revision: UInt64) {
        try await self.transition(id, audit: audit) { run in
            guard run.status == .created else { throw IdentityError.conflict("the run was already started (it is \(run.status.rawValue))") }
            run.status = .queued
        }
    }

    /// Any unfinished run; a finished one is 409.
    public func cancel(_ id: UUID, audit: AuditContext) async throws(IdentityError) -> (WorkflowRun, revision: UInt64) {
        let now = self.identity.now()
        return try await self.transition(id, audit: audit) { run in
            guard !run.status.isFinal else { throw IdentityError.conflict("the run has already \(run.status.rawValue)") }
            run.status = .cancelled
            run.finishedAt = now
            run.leaseUntil = nil
            var states = run.nodeStates
            for (id, state) in states where state.status == "pending" || state.status == "running" { states[id]?.status = "cancelled" }
            run.nodes = Self.encode(states)
        }
    }

    func transition(
        _ id: UUID,
        audit: AuditContext,
        _ change: @escaping @Sendable (inout WorkflowRun) throws -> Void
    ) async throws(IdentityError) -> (WorkflowRun, revision: UInt64) {
        let now = self.identity.now()
        return try await self.identity.writeWorkloads(audit: audit) { transaction in
            guard var run = try await transaction.workflowRun(id) else { throw IdentityError.notFound("workflow run") }
            let previous = run.status
            try change(&run)
            guard try await transaction.updateWorkflowRun(run, expecting: previous) else {
                throw IdentityError.conflict("the run changed meanwhile; try again")
            }
            _ = try await transaction.appendResourceEvent(resource: id, type: "status", data: Self.statusData(run), at: now)
            return (run, [.workflowRunChanged(organization: run.organizationID, run: id, status: run.status.rawValue, node: nil)])
        }
    }

    // MARK: Running (what the runner calls)

    public func claimNext(runner: UUID, lease: Duration) async throws(IdentityError) -> WorkflowRun? {
        let now = self.identity.now()
        let until = now.addingTimeInterval(lease.seconds)
        return try await self.identity.writeWorkloads(audit: AuditContext(actorID: nil)) { transaction in
            guard let run = try await transaction.claimNextWorkflowRun(runner: runner, at: now, leaseUntil: until) else { return (nil, []) }
            _ = try await transaction.appendResourceEvent(resource: run.id, type: "status", data: Self.statusData(run), at: now)
            return (run, [.workflowRunChanged(organization: run.organizationID, run: run.id, status: run.status.rawValue, node: nil)])
        }.0
    }

    /// Runs the claimed run's nodes in dependency order, independent ones at once, recording
    /// each node's end (with its usage); the first failure stops the others and fails the run.
    /// Cancelling the task (the run was cancelled, or the process stops) stops every node.
    public func execute(_ claimed: WorkflowRun) async {
        let definition =
            await Self.logger.attempt("read a run's definition", metadata: ["run_id": "\(claimed.id)"]) {
                try await self.definition(claimed.definitionID)
            } ?? nil
        let nodes = definition?.graph ?? []
        let overrides: [String: JSONValue]
        if case .object(let members)? = JSONValue(text: claimed.input) { overrides = members } else { overrides = [:] }
        var done: Set<String> = []
        var failure: String?
        await withTaskGroup(of: (String, Result<ProviderOutput, ProviderError>).self) { group in
            var started: Set<String> = []
            func startReady() async -> Bool {
                for node in nodes where !started.contains(node.id) && node.dependsOn.allSatisfy(done.contains) {
                    started.insert(node.id)
                    let running = await Task {
                        await Self.logger.attempt("record a node's start", metadata: ["run_id": "\(claimed.id)"]) {
                            try await self.recordNode(node.id, of: claimed, state: NodeState(status: "running"))
                        }
                    }.value
                    guard running == true else { return false }
                    let merged = Self.merged(node, overrides)
                    let provider = self.providers.provider(named: node.provider)
                    group.addTask {
                        guard let provider else { return (node.id, .failure(.failed("the provider '\(node.provider)' is not offered"))) }
                        do {
                            return (node.id, .success(try await provider.run(merged.input) { _ in }))
                        } catch let error as ProviderError {
                            return (node.id, .failure(error))
                        } catch {
                            return (node.id, .failure(.failed("the node was stopped before it finished")))
                        }
                    }
                }
                return true
            }
            guard await startReady() else {
                group.cancelAll()
                return
            }
            while let (node, outcome) = await group.next() {
                let state: NodeState
                var usage: ProviderOutput?
                switch outcome {
                case .success(let output):
                    state = NodeState(status: "succeeded", output: output.json)
                    usage = output
                case .failure(.failed(let message)), .failure(.invalidInput(_, let message)):
                    state = NodeState(status: "failed", error: message)
                }
                let recorded = await Task { [usage] in
                    await Self.logger.attempt("record a node's end", metadata: ["run_id": "\(claimed.id)"]) {
                        try await self.recordNode(node, of: claimed, state: state, usage: usage)
                    }
                }.value
                guard recorded == true else {
                    // The run is no longer running here (cancelled, or failed elsewhere).
                    group.cancelAll()
                    failure = nil
                    return
                }
                switch outcome {
                case .success:
                    done.insert(node)
                    guard await startReady() else {
                        group.cancelAll()
                        return
                    }
                case .failure(.failed(let message)), .failure(.invalidInput(_, let message)):
                    failure = "node '\(node)' failed: \(message)"
                    group.cancelAll()
                    return
                }
            }
        }
        let outcome = failure
        let total = nodes.count
        let succeeded = done.count == total && total > 0
        _ = await Task {
            await Self.logger.attempt("record a run's end", metadata: ["run_id": "\(claimed.id)"]) {
                try await self.finish(claimed.id, failure: outcome ?? (succeeded ? nil : "the run was stopped before it finished"))
            }
        }.value
    }

    /// Records a node's new state in the run (only while the run is running; false when it is
    /// not), with the usage of a node that succeeded.
    func recordNode(_ node: String, of claimed: WorkflowRun, state: NodeState, usage: ProviderOutput? = nil) async throws(IdentityError) -> Bool {
        let now = self.identity.now()
        let price = self.providers
        return try await self.identity.writeWorkloads(audit: AuditContext(actorID: nil)) { transaction in
            guard var run = try await transaction.workflowRun(claimed.id), run.status == .running else { return (false, []) }
            var states = run.nodeStates
            states[node] = state
            run.nodes = Self.encode(states)
            guard try await transaction.updateWorkflowRun(run, expecting: .running) else { return (false, []) }
            if let output = usage {
                let definition = try await transaction.workflowDefinition(run.definitionID)
                let provider = definition.flatMap { $0.graph.first { $0.id == node }?.provider } ?? ""
                try await transaction.insertUsageRecord(
                    UsageRecord(
                        id: UUID.timeOrdered(at: now),
                        organizationID: run.organizationID,
                        teamID: run.teamID,
                        principalID: run.createdBy,
                        provider: provider,
                        units: output.units,
                        cost: price.provider(named: provider)?.descriptor.cost(of: output.units) ?? 0,
                        runID: run.id,
                        createdAt: now
                    )
                )
            }
            var data = (try? JSONEncoder().encode(state)).flatMap { JSONValue(text: String(decoding: $0, as: UTF8.self)) } ?? .null
            if case .object(var members) = data {
                members["node"] = .string(node)
                data = .object(members)
            }
            _ = try await transaction.appendResourceEvent(resource: run.id, type: "node", data: data.text, at: now)
            return (true, [.workflowRunChanged(organization: run.organizationID, run: run.id, status: state.status, node: node)])
        }.0
    }

    /// Ends a running run: succeeded without `failure`, failed with it (nodes not yet ended are
    /// marked cancelled). Nothing happens when it is no longer running.
    public func finish(_ id: UUID, failure: String?) async throws(IdentityError) {
        let now = self.identity.now()
        _ = try await self.identity.writeWorkloads(audit: AuditContext(actorID: nil)) { transaction in
            guard var run = try await transaction.workflowRun(id), run.status == .running else { return ((), []) }
            run.status = failure == nil ? .succeeded : .failed
            run.error = failure
            run.finishedAt = now
            run.runner = nil
            run.leaseUntil = nil
            var states = run.nodeStates
            for (node, state) in states where state.status == "pending" || state.status == "running" { states[node]?.status = "cancelled" }
            run.nodes = Self.encode(states)
            guard try await transaction.updateWorkflowRun(run, expecting: .running) else { return ((), []) }
            _ = try await transaction.appendResourceEvent(resource: id, type: "status", data: Self.statusData(run), at: now)
            return ((), [.workflowRunChanged(organization: run.organizationID, run: id, status: run.status.rawValue, node: nil)])
        }
    }

    /// Fails runs whose runner stopped without finishing them; returns how many.
    @discardableResult
    public func failAbandoned() async throws(IdentityError) -> Int {
        let now = self.identity.now()
        var failed = 0
        while true {
            let abandoned = try await self.identity.readWorkloads { try await $0.abandonedWorkflowRuns(at: now, limit: 100) }
            guard !abandoned.isEmpty else { return failed }
            for run in abandoned {
                try await self.finish(run.id, failure: "the process running the run stopped before it finished")
                failed += 1
            }
        }
    }

    // MARK: Encoding

    static func merged(_ node: WorkflowNode, _ overrides: [String: JSONValue]) -> WorkflowNode {
        guard case .object(let extra)? = overrides[node.id] else { return node }
        return WorkflowNode(id: node.id, provider: node.provider, input: node.input.merging(extra) { _, new in new }, dependsOn: node.dependsOn)
    }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    static func statusData(_ run: WorkflowRun) -> String {
        var data: [String: JSONValue] = ["status": .string(run.status.rawValue)]
        if let error = run.error { data["error"] = .string(error) }
        return JSONValue.object(data).text
    }
}
