import Foundation
internal import Identity
internal import Synchronization

/// Hands every change-log record this replica applies (its own writes and, through the
/// follower, every other replica's) to the event streams that are open. Each subscriber has a
/// bounded buffer; one that falls behind it is dropped, and its stream ends, so a slow
/// consumer costs at most `buffer` records of memory.
public final class ChangeFeed: Sendable {
    /// Whose credential each subscription was opened with: the principal and its key (for a
    /// JWT, the principal again).
    struct Holder: Sendable {
        let principal: UUID
        let keyID: UUID
    }

    private struct Subscriber: Sendable {
        let continuation: AsyncStream<FeedItem>.Continuation
        let holder: Holder?
    }

    private let subscribers = Mutex<[UUID: Subscriber]>([:])
    let heartbeat: Duration

    init(heartbeat: Duration = .seconds(15)) {
        self.heartbeat = heartbeat
    }

    /// The subscription also ends when the server begins a graceful shutdown, so an open
    /// stream never holds the shutdown up.
    func subscribe(buffer: Int, holder: Authentication? = nil) -> ChangeSubscription {
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
        let subscriber = Subscriber(continuation: continuation, holder: holder.map { Holder(principal: $0.principal.id, keyID: $0.keyID) })
        self.subscribers.withLock { $0[id] = subscriber }
        return ChangeSubscription(id: id, items: stream, feed: self)
    }

    func unsubscribe(_ id: UUID) {
        self.subscribers.withLock { $0.removeValue(forKey: id) }?.continuation.finish()
    }

    func publish(_ record: ChangeRecord) {
        let current = self.subscribers.withLock { $0 }
        for (id, subscriber) in current {
            if case .dropped = subscriber.continuation.yield(.record(record)) {
                self.unsubscribe(id)
            }
        }
    }

    /// Ends every stream opened with a credential that `ended` says no longer holds: it gets
    /// `.credentialEnded` (past a full buffer too) and nothing after it.
    func end(where ended: (Holder) -> Bool) {
        let matching = self.subscribers.withLock { subscribers in
            let ids = subscribers.compactMap { id, subscriber in subscriber.holder.map(ended) == true ? id : nil }
            return ids.compactMap { subscribers.removeValue(forKey: $0) }
        }
        for subscriber in matching {
            // A full buffer would drop the news: the stream ends either way, and the reader
            // tells an ended credential from a slow reader by this flag.
            subscriber.continuation.yield(.credentialEnded)
            subscriber.continuation.finish()
        }
    }

    var subscriberCount: Int { self.subscribers.withLock { $0.count } }
}
