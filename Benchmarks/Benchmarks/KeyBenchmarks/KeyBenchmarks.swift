import APIKeys
import Benchmark
import Foundation

/// What authenticating a request with an API key costs: the first use of a key pays one
/// argon2id verification (OWASP parameters); every later use is a keyed BLAKE2b of the
/// presented key and a lookup in the verified-key cache.
let benchmarks: @Sendable () -> Void = {
    let key = APIKey.generate(id: UUID())
    let token = key.rendered
    let hash = PasswordHasher.owasp.hash(key.secret)
    let cache = VerifiedKeyCache<UUID>()
    let now = Date()
    cache.insert(key.id, for: cache.digest(of: token), keyID: key.id, at: now)
    // A cache of realistic size: 10,000 other verified keys.
    for _ in 0..<10_000 {
        let other = APIKey.generate(id: UUID())
        cache.insert(other.id, for: cache.digest(of: other.rendered), keyID: other.id, at: now)
    }

    Benchmark(
        "Cached verify (keyed BLAKE2b + cache lookup)",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal, .throughput],
            warmupIterations: 1_000,
            maxDuration: .seconds(3),
            maxIterations: 1_000_000
        )
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(cache.value(for: cache.digest(of: token), at: now))
        }
    }

    Benchmark(
        "First verify (argon2id m=19 MiB, t=2, p=1)",
        configuration: .init(metrics: [.wallClock, .cpuTotal], warmupIterations: 1, maxDuration: .seconds(5), maxIterations: 50)
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(PasswordHasher.verify(key.secret, against: hash))
        }
    }

    Benchmark(
        "Parse a presented key (format and checksum)",
        configuration: .init(metrics: [.wallClock, .mallocCountTotal], warmupIterations: 1_000, maxDuration: .seconds(3), maxIterations: 1_000_000)
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(APIKey(parsing: token))
        }
    }
}
