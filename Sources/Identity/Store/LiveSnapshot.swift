internal import Atomics
public import Authz

/// The snapshot every check reads, swapped atomically when a change is applied. Readers do
/// one atomic load and never wait, whatever a writer is doing; writers build the next value
/// off to the side and publish it with a compare-and-exchange, so the revision only ever
/// moves forward even when two writers race.
public final class LiveSnapshot: Sendable {
    private let current: ManagedAtomic<SnapshotReference>
    /// How many recent snapshots stay reachable by revision, for paginated lookups.
    public let historyLength: Int

    public init(_ snapshot: AuthzSnapshot, historyLength: Int = 256) {
        self.historyLength = max(1, historyLength)
        self.current = ManagedAtomic(SnapshotReference(snapshot, keep: self.historyLength))
    }

    /// The snapshot at exactly `revision`, while it is among the recent ones.
    public func snapshot(at revision: UInt64) -> AuthzSnapshot? {
        self.current.load(ordering: .acquiring).history.snapshot(at: revision)
    }

    /// The newest published snapshot.
    public var snapshot: AuthzSnapshot {
        self.current.load(ordering: .acquiring).snapshot
    }

    /// Applies changes on top of whatever is current, retrying if another writer published
    /// first. A stale revision (already applied by someone else) leaves the snapshot as it is.
    @discardableResult
    public func apply(_ changes: [SnapshotChange], revision: UInt64) throws(SnapshotError) -> AuthzSnapshot {
        while true {
            let expected = self.current.load(ordering: .acquiring)
            if expected.snapshot.revision >= revision {
                return expected.snapshot
            }
            let next = try expected.snapshot.applying(changes, revision: revision)
            let (exchanged, _) = self.current.compareExchange(
                expected: expected,
                desired: SnapshotReference(next, older: expected.history, keep: self.historyLength),
                ordering: .acquiringAndReleasing
            )
            if exchanged {
                return next
            }
        }
    }

    /// Replaces the snapshot wholesale: a policy reload or a fresh load from the store.
    public func replace(with snapshot: AuthzSnapshot) {
        self.current.store(SnapshotReference(snapshot, keep: self.historyLength), ordering: .releasing)
    }
}
