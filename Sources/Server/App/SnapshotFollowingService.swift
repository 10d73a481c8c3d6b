public import Identity
public import ServiceLifecycle

/// Keeps this replica's snapshot following the store's change log for as long as the
/// server runs, and stops with it.
public struct SnapshotFollowingService: Service {
    let follower: SnapshotFollower

    public init(follower: SnapshotFollower) {
        self.follower = follower
    }

    /// Ends quietly on shutdown: cancellation is how it is told to stop, not a failure.
    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await self.follower.follow()
            }
        } catch is CancellationError {
            return
        }
    }
}
