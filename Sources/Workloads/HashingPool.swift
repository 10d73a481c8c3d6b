internal import NIOPosix

/// Runs password hashing (argon2id, ~45 ms of CPU each) on NIO's thread pool, at most
/// `width` at a time: a flood of guesses queues here instead of taking every core.
public actor HashingPool {
    let width: Int
    private var busy = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    /// How many hashes it has run: how tests see that a locked share costs no hashing.
    public private(set) var runs = 0

    public init(width: Int = 2) {
        self.width = max(1, width)
    }

    public func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async throws -> Result {
        if self.busy >= self.width {
            await withCheckedContinuation { self.waiting.append($0) }
        } else {
            self.busy += 1
        }
        defer {
            if self.waiting.isEmpty { self.busy -= 1 } else { self.waiting.removeFirst().resume() }
        }
        self.runs += 1
        return try await NIOThreadPool.singleton.runIfActive(work)
    }
}
