internal import Synchronization

/// One transaction's race between getting a connection and its deadline, answered once.
///
/// The transaction runs in a task of its own and the caller waits on a continuation, not on
/// that task: PostgresNIO does not always let a lease waiting on a pool that cannot connect be
/// cancelled (seen under load: the request then hung until the test was killed), so waiting
/// for the task, even a cancelled one, is what must not happen. Whoever wins says so here:
/// the deadline answers `unavailable` and a connection that comes later runs nothing; a
/// connection in time runs the transaction, and only its end answers.
final class ConnectionLeaseRace<Value: Sendable>: Sendable {
    private enum State: Sendable {
        case waiting(CheckedContinuation<Value, any Error>)
        case leased(CheckedContinuation<Value, any Error>)
        case answered
    }

    private let state: Mutex<State>
    /// The deadline's task, stopped when the transaction ends first (a write should not
    /// leave a timer sleeping for seconds behind it).
    private let deadline = Mutex<Task<Void, Never>?>(nil)

    init(_ continuation: CheckedContinuation<Value, any Error>) {
        self.state = Mutex(.waiting(continuation))
    }

    /// The transaction has its connection; false when the deadline answered first, and the
    /// transaction must then do nothing.
    func claim() -> Bool {
        self.state.withLock { state in
            guard case .waiting(let continuation) = state else { return false }
            state = .leased(continuation)
            return true
        }
    }

    func watch(_ deadline: Task<Void, Never>) {
        self.deadline.withLock { $0 = deadline }
    }

    func finish(_ result: Result<Value, any Error>) {
        let continuation: CheckedContinuation<Value, any Error>? = self.state.withLock { state in
            switch state {
            case .waiting(let continuation), .leased(let continuation):
                state = .answered
                return continuation
            case .answered:
                return nil
            }
        }
        continuation?.resume(with: result)
        self.deadline.withLock { $0 }?.cancel()
    }

    /// The deadline: answers with `error` unless a connection came in time; true when it did.
    func expire(_ error: any Error) -> Bool {
        let continuation: CheckedContinuation<Value, any Error>? = self.state.withLock { state in
            guard case .waiting(let continuation) = state else { return nil }
            state = .answered
            return continuation
        }
        continuation?.resume(throwing: error)
        return continuation != nil
    }
}
