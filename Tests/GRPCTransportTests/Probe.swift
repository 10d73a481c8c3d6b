import Synchronization

/// What the tests' service saw, read by the tests.
final class Probe: Sendable {
    struct Seen {
        var running = 0
        var mostRunning = 0
        var cancelled = 0
        var written = 0
        var released = false
    }

    private let seen = Mutex(Seen())

    var now: Seen { self.seen.withLock { $0 } }

    func update(_ change: (inout Seen) -> Void) {
        self.seen.withLock { change(&$0) }
    }

    /// Polls `condition` for up to `seconds`.
    func eventually(seconds: Double = 5, _ condition: (Seen) -> Bool) async throws -> Bool {
        for _ in 0..<Int(seconds * 100) {
            if condition(self.now) { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition(self.now)
    }
}
