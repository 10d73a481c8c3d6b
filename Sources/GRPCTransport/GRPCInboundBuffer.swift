internal import GRPCCore
internal import Synchronization

/// What a call has received and its task has not yet read: filled on the connection's event
/// loop, read by the call's task. The task usually runs on that same loop and finds its
/// request already here, so reading it does not suspend.
final class GRPCInboundBuffer: Sendable {
    typealias Part = RPCRequestPart<GRPCBytes>

    private struct State {
        var parts: [Part] = []
        var head = 0
        var unreadBytes = 0
        /// Set once the client ended its side (nil) or the call failed (the error).
        var end: Result<Void, any Error>?
        var waiter: CheckedContinuation<Part?, any Error>?
        /// The stream holds back flow-control credit until the reader drains below this.
        var drainSignalBelow: Int?
    }

    private let state = Mutex(State())
    /// Called (on the reader's side) once the unread bytes fall under the level the stream
    /// asked for: the stream gives the client the credit it held back.
    private let drained: @Sendable () -> Void

    init(drained: @escaping @Sendable () -> Void) {
        self.drained = drained
    }

    /// Adds a part, handing it straight to a waiting reader.
    func append(_ part: Part) {
        let waiter = self.state.withLock { state -> CheckedContinuation<Part?, any Error>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.parts.append(part)
            if case .message(let bytes) = part { state.unreadBytes += bytes.count }
            return nil
        }
        waiter?.resume(returning: part)
    }

    /// The client ended its side (`error` nil), or the call ends in `error`: a reader is
    /// told once it has read what came before.
    func finish(_ error: (any Error)? = nil) {
        let waiter = self.state.withLock { state -> CheckedContinuation<Part?, any Error>? in
            guard state.end == nil else { return nil }
            state.end = error.map { .failure($0) } ?? .success(())
            defer { state.waiter = nil }
            return state.waiter
        }
        if let error { waiter?.resume(throwing: error) } else { waiter?.resume(returning: nil) }
    }

    /// Asks for `drained` once fewer than `level` bytes are unread; false if that is so already.
    func signalWhenDrained(below level: Int) -> Bool {
        self.state.withLock { state in
            guard state.unreadBytes >= level else { return false }
            state.drainSignalBelow = level
            return true
        }
    }

    private enum Taken {
        case part(Part, signal: Bool)
        case end(Result<Void, any Error>)
        case wait
    }

    func next() async throws -> Part? {
        let taken = self.state.withLock { state -> Taken in Self.take(&state) }
        switch taken {
        case .part(let part, let signal):
            if signal { self.drained() }
            return part
        case .end(let result):
            try result.get()
            return nil
        case .wait:
            return try await withCheckedThrowingContinuation { continuation in
                let taken = self.state.withLock { state -> Taken in
                    let taken = Self.take(&state)
                    if case .wait = taken { state.waiter = continuation }
                    return taken
                }
                switch taken {
                case .part(let part, let signal):
                    if signal { self.drained() }
                    continuation.resume(returning: part)
                case .end(.success):
                    continuation.resume(returning: nil)
                case .end(.failure(let error)):
                    continuation.resume(throwing: error)
                case .wait:
                    break
                }
            }
        }
    }

    private static func take(_ state: inout State) -> Taken {
        if state.head < state.parts.count {
            let part = state.parts[state.head]
            state.head += 1
            if state.head == state.parts.count {
                state.parts.removeAll(keepingCapacity: true)
                state.head = 0
            }
            var signal = false
            if case .message(let bytes) = part {
                state.unreadBytes -= bytes.count
                if let level = state.drainSignalBelow, state.unreadBytes < level {
                    state.drainSignalBelow = nil
                    signal = true
                }
            }
            return .part(part, signal: signal)
        }
        if let end = state.end { return .end(end) }
        return .wait
    }
}
