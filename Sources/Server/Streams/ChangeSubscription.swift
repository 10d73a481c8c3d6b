import Foundation
internal import ServiceLifecycle

/// One subscriber's view of the change feed: a bounded stream that ends when the subscriber
/// falls `buffer` records behind (the feed drops it rather than buffer without bound) or when
/// it is cancelled.
struct ChangeSubscription: Sendable {
    let id: UUID
    let items: AsyncStream<FeedItem>
    let feed: ChangeFeed

    func cancel() {
        self.feed.unsubscribe(self.id)
    }

    /// Runs `body` (which reads the subscription), ending the subscription when the server
    /// begins to shut down: open streams then end instead of holding the shutdown up.
    func untilShutdown<Result>(_ body: () async throws -> Result) async rethrows -> Result {
        try await withGracefulShutdownHandler(operation: body, onGracefulShutdown: { self.cancel() })
    }
}
