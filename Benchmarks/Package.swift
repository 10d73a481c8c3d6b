// swift-tools-version:6.2
import PackageDescription

// A package of its own, so `swift build` / `swift test` of the service never build the
// benchmark toolchain. Run from this folder: `swift package benchmark` (see BENCHMARKS.md).
let package = Package(
    name: "authz-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "authz", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "EvaluatorBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Authz", package: "authz"),
            ],
            path: "Benchmarks/EvaluatorBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        .executableTarget(
            name: "KeyBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "APIKeys", package: "authz"),
            ],
            path: "Benchmarks/KeyBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
    ]
)
