import Authz
import Foundation
import Identity
import JSON
import Testing
import Workloads

/// Workflows on both stores: graph validation, runs executed by the runner in dependency
/// order with independent nodes at once, a failed node failing the run, the transitions that
/// are refused, and runs whose runner stopped.
@Suite struct WorkflowStoreTests {
    @Test func graphsAreValidated() {
        let catalog = ProviderCatalog.builtIn
        func node(
            _ id: String,
            _ dependsOn: [String] = [],
            provider: String = "echo",
            input: [String: JSONValue] = ["text": .string("x")]
        ) -> WorkflowNode {
            WorkflowNode(id: id, provider: provider, input: input, dependsOn: dependsOn)
        }
        func problem(_ nodes: [WorkflowNode]) -> IdentityError? {
            do {
                try WorkflowGraph.validate(nodes, providers: catalog)
                return nil
            } catch {
                return error
            }
        }
        #expect(problem([node("a"), node("b", ["a"]), node("c", ["a"]), node("d", ["b", "c"])]) == nil)
        #expect(problem([]) == .invalid(field: "nodes", message: "must hold 1 to 100 nodes"))
        #expect(problem((0...100).map { node("n\($0)") }) == .invalid(field: "nodes", message: "must hold 1 to 100 nodes"))
        #expect(problem([node("a"), node("a")]) == .invalid(field: "nodes[1].id", message: "'a' is used twice"))
        #expect(problem([node("a b")]) == .invalid(field: "nodes[0].id", message: "must be 1 to 64 letters, digits, '_' or '-'"))
        #expect(problem([node("a"), node("b", provider: "nope")]) == .invalid(field: "nodes[1].provider", message: "unknown provider 'nope'"))
        #expect(problem([node("a", input: [:])]) == .invalid(field: "nodes[0].input.text", message: "is required"))
        #expect(problem([node("a", ["z"])]) == .invalid(field: "nodes[0].depends_on[0]", message: "no node is called 'z'"))
        #expect(problem([node("a", ["a"])]) == .invalid(field: "nodes[0].depends_on[0]", message: "a node cannot depend on itself"))
        #expect(
            problem([node("a", ["c"]), node("b", ["a"]), node("c", ["b"]), node("d")])
                == .invalid(field: "nodes", message: "the dependencies form a cycle: a → c → b → a")
        )
    }

    @Test(arguments: Backend.enabled)
    func runsExecuteInDependencyOrder(_ backend: Backend) async throws {
        try await backend.run(WorkflowRuns())
    }

    @Test(arguments: Backend.enabled)
    func abandonedRunsAreFailed(_ backend: Backend) async throws {
        try await backend.run(AbandonedRuns())
    }
}

struct WorkflowRuns: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let jobs = JobService(identity: h.service)
        let runner = JobRunner(jobs: jobs, concurrency: 2, tick: .milliseconds(20))
        let workflows = runner.workflows
        let (owner, organization, team) = try await jobWorld(h)
        let audit = AuditContext(actorID: owner)
        let nodes = [
            WorkflowNode(id: "fetch", provider: "echo", input: ["text": .string("fetched")], dependsOn: []),
            WorkflowNode(id: "left", provider: "sleep", input: ["milliseconds": .number(30_000)], dependsOn: ["fetch"]),
            WorkflowNode(id: "right", provider: "sleep", input: ["milliseconds": .number(30_000)], dependsOn: ["fetch"]),
            WorkflowNode(id: "join", provider: "echo", input: ["text": .string("joined")], dependsOn: ["left", "right"]),
        ]
        let (definition, _) = try await workflows.createDefinition(
            organization: organization,
            name: " pipeline ",
            nodes: nodes,
            creator: owner,
            audit: audit
        )
        #expect(definition.name == "pipeline" && definition.graph == nodes)
        // Short sleeps through the run's input; the definition keeps its own.
        let fast: [String: JSONValue] = ["left": .object(["milliseconds": .number(0)]), "right": .object(["milliseconds": .number(0)])]
        await #expect(throws: IdentityError.invalid(field: "input.nope", message: "no node is called 'nope'")) {
            _ = try await workflows.createRun(definition: definition.id, team: team, input: ["nope": .object([:])], creator: owner, audit: audit)
        }
        await #expect(throws: IdentityError.invalid(field: "input.left.milliseconds", message: "must be a whole number from 0 to 60000")) {
            _ = try await workflows.createRun(
                definition: definition.id,
                team: team,
                input: ["left": .object(["milliseconds": .number(-1)])],
                creator: owner,
                audit: audit
            )
        }
        let (quick, _) = try await workflows.createRun(definition: definition.id, team: team, input: fast, creator: owner, audit: audit)
        #expect(quick.status == .created && quick.nodeStates.values.allSatisfy { $0.status == "pending" })
        let type = try #require(h.service.policy.resourceType(named: "workflow_run")).id
        #expect(h.service.snapshot.resolve(.stored(type: type, id: quick.id))?.team == team)

        // A run starts once (checked before any runner could claim it, then cancelled).
        let (twice, _) = try await workflows.createRun(definition: definition.id, team: team, input: fast, creator: owner, audit: audit)
        _ = try await workflows.start(twice.id, audit: audit)
        await #expect(throws: IdentityError.conflict("the run was already started (it is queued)")) {
            _ = try await workflows.start(twice.id, audit: audit)
        }
        _ = try await workflows.cancel(twice.id, audit: audit)

        let running = Task { await runner.run() }
        defer { running.cancel() }
        // Created is not started: the runner leaves it alone.
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await workflows.run(quick.id)?.status == .created)
        _ = try await workflows.start(quick.id, audit: audit)
        runner.nudge()
        try await waitFor { try await workflows.run(quick.id)?.status == .succeeded }
        let finished = try #require(try await workflows.run(quick.id))
        #expect(finished.nodeStates["join"] == NodeState(status: "succeeded", output: .object(["text": .string("joined")])))
        // Each node's start and end, in an order the dependencies allow.
        let events = try await h.service.resourceEvents(of: quick.id, after: 0, limit: 100)
        let ends = events.filter { $0.type == "node" && $0.data.contains("succeeded") }.compactMap { JSONValue(text: $0.data) }.compactMap {
            value -> String? in
            if case .object(let members) = value, case .string(let node)? = members["node"] { node } else { nil }
        }
        #expect(ends.first == "fetch" && ends.last == "join" && Set(ends) == ["fetch", "left", "right", "join"])
        #expect(
            events.filter { $0.type == "status" }.map(\.data) == [
                #"{"status":"created"}"#, #"{"status":"queued"}"#, #"{"status":"running"}"#, #"{"status":"succeeded"}"#,
            ]
        )
        let usage = try await jobs.usageRecords(UsageFilter(organization: organization), after: nil, limit: 10)
        #expect(usage.count == 4 && usage.allSatisfy { $0.runID == quick.id && $0.teamID == team })
        await #expect(throws: IdentityError.conflict("the run has already succeeded")) { _ = try await workflows.cancel(quick.id, audit: audit) }

        // Independent nodes run at once: both long sleeps are running together. Cancelling
        // the run stops them and leaves the rest cancelled.
        let (slow, _) = try await workflows.createRun(definition: definition.id, team: nil, input: [:], creator: owner, audit: audit)
        _ = try await workflows.start(slow.id, audit: audit)
        runner.nudge()
        try await waitFor {
            let states = try await workflows.run(slow.id)?.nodeStates ?? [:]
            return states["left"]?.status == "running" && states["right"]?.status == "running"
        }
        let (cancelled, _) = try await workflows.cancel(slow.id, audit: audit)
        await runner.stop(slow.id)
        #expect(cancelled.status == .cancelled)
        #expect(cancelled.nodeStates.mapValues(\.status) == ["fetch": "succeeded", "left": "cancelled", "right": "cancelled", "join": "cancelled"])
        try await waitFor { await runner.runningCount == 0 }
        #expect(try await workflows.run(slow.id)?.status == .cancelled)

        // A failed node fails the run; what depended on it never starts.
        let failing = [
            WorkflowNode(id: "a", provider: "sleep", input: ["milliseconds": .number(0), "fail_with": .string("upstream down")], dependsOn: []),
            WorkflowNode(id: "b", provider: "echo", input: ["text": .string("never")], dependsOn: ["a"]),
        ]
        let (broken, _) = try await workflows.createDefinition(
            organization: organization,
            name: "broken",
            nodes: failing,
            creator: owner,
            audit: audit
        )
        let (doomed, _) = try await workflows.createRun(definition: broken.id, team: nil, input: [:], creator: owner, audit: audit)
        _ = try await workflows.start(doomed.id, audit: audit)
        runner.nudge()
        try await waitFor { try await workflows.run(doomed.id)?.status.isFinal == true }
        let failed = try #require(try await workflows.run(doomed.id))
        #expect(failed.status == .failed && failed.error == "node 'a' failed: upstream down")
        #expect(failed.nodeStates.mapValues(\.status) == ["a": "failed", "b": "cancelled"])
        running.cancel()
        await running.value
    }
}

struct AbandonedRuns: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let workflows = WorkflowService(identity: h.service)
        let (owner, organization, _) = try await jobWorld(h)
        let audit = AuditContext(actorID: owner)
        let nodes = [WorkflowNode(id: "a", provider: "echo", input: ["text": .string("x")], dependsOn: [])]
        let (definition, _) = try await workflows.createDefinition(organization: organization, name: "w", nodes: nodes, creator: owner, audit: audit)
        let (run, _) = try await workflows.createRun(definition: definition.id, team: nil, input: [:], creator: owner, audit: audit)
        _ = try await workflows.start(run.id, audit: audit)
        _ = try #require(try await workflows.claimNext(runner: UUID(), lease: .seconds(30)))
        #expect(try await workflows.failAbandoned() == 0)
        h.clock.advance(hours: 31.0 / 3600)
        #expect(try await workflows.failAbandoned() == 1)
        let failed = try #require(try await workflows.run(run.id))
        #expect(failed.status == .failed && failed.error == "the process running the run stopped before it finished")
        #expect(failed.nodeStates["a"]?.status == "cancelled")
    }
}
