import Foundation
internal import Identity
internal import Synchronization

/// Hands every change-log record this replica applies (its own writes and, through the
/// follower, every other replica's) to the event streams that are open. Each subscriber has a
/// bounded buffer; one that falls behind it is dropped, and its stream ends, so a slow
/// consumer costs at most `buffer` records of memory.
final class ChangeFeed: Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<FeedItem>.Continuation]>([:])
    let heartbeat: Duration

    init(heartbeat: Duration = .seconds(15)) {
        self.heartbeat = heartbeat
    }

    /// The subscription also ends when the server begins a graceful shutdown, so an open
    /// stream never holds the shutdown up.
    func subscribe(buffer: Int) -> ChangeSubscription {
        let id = UUID()
        let (stream, continuation) = AsyncStream<FeedItem>.makeStream(bufferingPolicy: .bufferingOldest(max(1, buffer)))
        let heartbeat = self.heartbeat
        let beat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: heartbeat)
                // A heartbeat that finds the buffer full is simply skipped: only records count.
                continuation.yield(.heartbeat)
            }
        }
        continuation.onTermination = { _ in beat.cancel() }
        self.subscribers.withLock { $0[id] = continuation }
        return ChangeSubscription(id: id, items: stream, feed: self)
    }

    func unsubscribe(_ id: UUID) {
        self.subscribers.withLock { $0.removeValue(forKey: id) }?.finish()
    }

    func publish(_ record: ChangeRecord) {
        let current = self.subscribers.withLock { $0 }
        for (id, continuation) in current {
            if case .dropped = continuation.yield(.record(record)) {
                self.unsubscribe(id)
            }
        }
    }

    var subscriberCount: Int { self.subscribers.withLock { $0.count } }
}
