internal import Synchronization

/// Where rows streamed off a connection go: SQLite hands them over on its own thread, one
/// at a time, so what they feed (and the first error they raise, which ends the reading)
/// sits behind a lock no one else contends for.
final class RowSink<State: Sendable>: Sendable {
    private let state: Mutex<(value: State, failure: (any Error)?)>

    init(_ value: State) {
        self.state = Mutex((value, nil))
    }

    /// Runs `body` on the state unless an earlier call failed; the failure is kept for `take`.
    func feed(_ body: (inout State) throws -> Void) {
        self.state.withLock { state in
            guard state.failure == nil else { return }
            do {
                try body(&state.value)
            } catch {
                state.failure = error
            }
        }
    }

    /// The state fed so far, handed out without a copy left behind; or the first failure.
    func take(replacingWith empty: State) throws -> State {
        try self.state.withLock { state in
            if let failure = state.failure { throw failure }
            let value = state.value
            state.value = empty
            return value
        }
    }
}
