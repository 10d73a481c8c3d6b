internal import Synchronization

/// One piece of work per key at a time: callers asking for a key whose work is already under
/// way wait for that work's result instead of starting their own.
///
/// It exists for a key's first use. Verifying a presented API key costs one argon2id hash
/// (tens of milliseconds of CPU); a service rolling out a rotated key opens its connections
/// at once, and without this each of them would hash the same key again.
public final class SingleFlight<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let flights = Mutex<[Key: Task<Value, any Error>]>([:])

    public init() {}

    /// Whether work for `key` is under way now.
    public func isInFlight(_ key: Key) -> Bool {
        self.flights.withLock { $0[key] != nil }
    }

    /// The result of the work under way for `key`, or of `work`, started now for it. The
    /// work runs to its end even if every caller waiting for it is cancelled, so a result is
    /// never computed twice because one caller went away.
    public func run(_ key: Key, _ work: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let task = self.flights.withLock { flights in
            if let running = flights[key] { return running }
            // Created under the lock: the task's own removal (which takes the lock) cannot
            // run before it is registered.
            let task = Task {
                defer { _ = self.flights.withLock { $0.removeValue(forKey: key) } }
                return try await work()
            }
            flights[key] = task
            return task
        }
        return try await task.value
    }

    /// Work under way: what a test asserts drained.
    public var count: Int { self.flights.withLock { $0.count } }
}
