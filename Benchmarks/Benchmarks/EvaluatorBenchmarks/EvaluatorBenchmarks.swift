import Authz
import Benchmark
import Foundation

/// The default policy from the repository's `policies/` folder.
func loadDefaultPolicy() -> Policy {
    let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("policies")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    let sources = names.sorted().filter { $0.hasSuffix(".yaml") }.map { name in
        PolicySource(path: name, contents: (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? "")
    }
    do {
        return try PolicyCompiler.compile(sources)
    } catch {
        fatalError("policies do not compile: \(error)")
    }
}

nonisolated(unsafe) var world: SyntheticWorld!
nonisolated(unsafe) var snapshot: AuthzSnapshot!
nonisolated(unsafe) var requests: [CheckRequest] = []

/// Builds the world once for the benchmarks that read it.
func prepareWorld() throws {
    guard snapshot == nil else { return }
    world = SyntheticWorld(policy: loadDefaultPolicy())
    snapshot = try world.build()
    requests = world.requests(100_000)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        warmupIterations: 3,
        maxDuration: .seconds(5),
        maxIterations: 1_000_000
    )

    Benchmark(
        "Check (single)",
        configuration: .init(scalingFactor: .kilo, setup: { try prepareWorld() })
    ) { benchmark in
        // Taken once, as a request handler takes the current snapshot once: reading a global
        // `var` inside the loop would copy the snapshot (and check exclusivity) every time.
        let current: AuthzSnapshot = snapshot
        let mix = requests
        let count = mix.count
        var index = Int(benchmark.currentIteration % 97) * 1_000
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(current.check(mix[index % count]))
            index &+= 1
        }
        benchmark.stopMeasurement()
    }

    Benchmark(
        "Check batch of 1,000 (random subjects and resources)",
        configuration: .init(setup: { try prepareWorld() })
    ) { benchmark in
        let start = Int(benchmark.currentIteration % 99) * 1_000
        let batch = Array(requests[start..<(start + 1_000)])
        let current: AuthzSnapshot = snapshot
        benchmark.startMeasurement()
        blackHole(current.check(batch: batch))
        benchmark.stopMeasurement()
    }

    Benchmark(
        "Check batch of 1,000 (one subject, its organization's jobs)",
        configuration: .init(setup: { try prepareWorld() })
    ) { benchmark in
        var generator = world!
        generator.generator = SeededGenerator(seed: UInt64(benchmark.currentIteration))
        let batch = generator.subjectBatch(1_000)
        let current: AuthzSnapshot = snapshot
        benchmark.startMeasurement()
        blackHole(current.check(batch: batch))
        benchmark.stopMeasurement()
    }

    Benchmark(
        "Apply one membership change",
        configuration: .init(scalingFactor: .kilo, setup: { try prepareWorld() })
    ) { benchmark in
        var generator = SeededGenerator(seed: UInt64(benchmark.currentIteration))
        let current: AuthzSnapshot = snapshot
        let changes = (0..<benchmark.scaledIterations.count).map { _ in
            let o = Int(generator.next() % UInt64(SyntheticWorld.organizations))
            let m = Int(generator.next() % UInt64(SyntheticWorld.membersPerOrganization))
            return [SnapshotChange.memberSet(organization: world.organizationIDs[o], principal: world.memberIDs[o][m], role: "admin")]
        }
        benchmark.startMeasurement()
        for change in changes {
            blackHole(try current.applying(change, revision: current.revision + 1))
        }
        benchmark.stopMeasurement()
    }

    // The same world built as changes are applied one by one, and as a server loads a store.
    for (name, build) in [
        ("Load world (1,000 orgs, 200k members, 520k resources)", { try $0.build() }),
        ("Load world with SnapshotLoader, as a server starts (1,000 orgs, 200k members, 520k resources)", { try $0.load() }),
    ] as [(String, @Sendable (SyntheticWorld) throws -> AuthzSnapshot)] {
        Benchmark(
            name,
            configuration: .init(
                metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal],
                maxDuration: .seconds(60),
                maxIterations: 3
            )
        ) { benchmark in
            let generated = SyntheticWorld(policy: loadDefaultPolicy())
            benchmark.startMeasurement()
            let loaded = try build(generated)
            benchmark.stopMeasurement()
            precondition(loaded.organizationCount == SyntheticWorld.organizations)
            blackHole(loaded)
        }
    }
}
