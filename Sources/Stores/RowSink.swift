internal import NIOCore
internal import NIOPosix
internal import Synchronization

/// Where rows streamed off a connection go, as a pipeline over two threads: the thread that
/// reads the rows (PostgreSQL's event loop, SQLite's thread) turns each into a `Value`, and
/// every `chunkSize` values are handed to another event loop, which applies them to the state
/// in the order they were read. A store's start reads millions of rows; on one thread,
/// decoding and applying them took turns on one core while the other sat idle.
final class RowSink<Value: Sendable, State: Sendable>: Sendable {
    static var chunkSize: Int { 4_096 }

    private let pending: Mutex<[Value]>
    private let state: Mutex<(value: State, failure: (any Error)?)>
    /// Set with the first failure, so the reading side stops decoding rows nobody will use
    /// without waiting for the applying side's lock.
    private let failed = Atomic<Bool>(false)
    private let apply: @Sendable (inout State, Value) throws -> Void
    private let loop: any EventLoop

    /// `reader`: the event loop the rows arrive on, if they do on one; the values are applied
    /// on another loop of the group when it has one.
    init(_ value: State, reader: (any EventLoop)?, apply: @escaping @Sendable (inout State, Value) throws -> Void) {
        self.state = Mutex((value, nil))
        self.pending = Mutex([])
        self.apply = apply
        let group = MultiThreadedEventLoopGroup.singleton
        self.loop = group.makeIterator().first { loop in reader.map { $0 !== loop } ?? true } ?? group.next()
    }

    /// Adds the value `make` returns, unless this sink already failed; a failure is kept for `take`.
    func feed(_ make: () throws -> Value) {
        guard !self.failed.load(ordering: .relaxed) else { return }
        let value: Value
        do {
            value = try make()
        } catch {
            self.fail(error)
            return
        }
        let full = self.pending.withLock { pending -> [Value]? in
            pending.append(value)
            return pending.count >= Self.chunkSize ? Self.take(&pending) : nil
        }
        if let full { self.loop.execute { self.run(full) } }
    }

    /// The state once every value fed so far is applied, handed out without a copy left
    /// behind; or the first failure.
    func take(replacingWith empty: State) async throws -> State {
        let rest = self.takePending()
        // A loop runs what it is given in order: this comes after every chunk handed over.
        return try await self.loop.submit {
            self.run(rest)
            return try self.state.withLock { state in
                if let failure = state.failure { throw failure }
                let value = state.value
                state.value = empty
                return value
            }
        }.get()
    }

    private func takePending() -> [Value] {
        self.pending.withLock { Self.take(&$0) }
    }

    private static func take(_ pending: inout [Value]) -> [Value] {
        var taken: [Value] = []
        taken.reserveCapacity(Self.chunkSize)
        swap(&taken, &pending)
        return taken
    }

    private func run(_ values: [Value]) {
        self.state.withLock { state in
            guard state.failure == nil else { return }
            do {
                for value in values { try self.apply(&state.value, value) }
            } catch {
                state.failure = error
                self.failed.store(true, ordering: .relaxed)
            }
        }
    }

    /// A row that could not be read fails the sink after the rows read before it were
    /// applied, so the first failure in the rows' order is the one reported.
    private func fail(_ error: any Error) {
        self.failed.store(true, ordering: .relaxed)
        let before = self.takePending()
        self.loop.execute {
            self.run(before)
            self.state.withLock { state in
                if state.failure == nil { state.failure = error }
            }
        }
    }
}
