public import Authz
internal import Synchronization

/// Advances the live snapshot by applying change-log records strictly in revision order —
/// the only way it ever moves, so a writer, a restart and (on PostgreSQL) another replica all
/// see the same sequence. An actor because two catch-ups running at once could otherwise
/// apply revision 12 before 11 and lose 11.
public actor SnapshotFollower {
    let store: any IdentityStore
    public nonisolated let live: LiveSnapshot
    /// Told of every record as it is applied, in order: how state kept outside the snapshot
    /// (the verified-key cache) follows the change log on every replica.
    private nonisolated let observers = Mutex<[@Sendable (ChangeRecord) -> Void]>([])

    /// Loads the snapshot the store describes, then follows its change log.
    public static func start(store: any IdentityStore, policy: Policy) async throws -> SnapshotFollower {
        let snapshot = try await store.loadSnapshot(policy: policy)
        let follower = SnapshotFollower(store: store, live: LiveSnapshot(snapshot))
        try await follower.catchUp()
        return follower
    }

    init(store: any IdentityStore, live: LiveSnapshot) {
        self.store = store
        self.live = live
    }

    /// Keeps the snapshot following the store until cancelled: what a replica runs in the
    /// background to learn of other writers' changes.
    public nonisolated func follow() async throws {
        try await self.store.watchChanges { [self] in
            do {
                try await self.catchUp()
            } catch {
                // The next notification or poll tries again.
            }
        }
    }

    public nonisolated func observe(_ observer: @escaping @Sendable (ChangeRecord) -> Void) {
        self.observers.withLock { $0.append(observer) }
    }

    /// Waits until the snapshot reflects `revision` or `timeout` passes; false on timeout.
    /// How a client reads its own write through another replica (`consistency.min_revision`).
    public func waitUntilApplied(_ revision: UInt64, timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while self.live.snapshot.revision < revision {
            try await self.catchUp()
            if self.live.snapshot.revision >= revision { break }
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    /// Applies every committed record the snapshot has not seen yet; returns the revision it
    /// reached.
    @discardableResult
    public func catchUp() async throws -> UInt64 {
        while true {
            let records = try await self.store.changes(after: self.live.snapshot.revision, limit: 500)
            guard !records.isEmpty else { return self.live.snapshot.revision }
            for record in records {
                try self.live.apply(record.entries.flatMap(\.snapshotChanges), revision: record.revision)
                for observer in self.observers.withLock({ $0 }) { observer(record) }
            }
        }
    }
}
