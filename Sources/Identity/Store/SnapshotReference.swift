internal import Atomics
internal import Authz

/// The box an atomic strong reference can point at; swift-atomics handles the memory
/// reclamation that makes loading and replacing it from many threads safe.
final class SnapshotReference: AtomicReference, Sendable {
    let history: SnapshotHistory

    var snapshot: AuthzSnapshot { self.history.snapshot }

    init(_ snapshot: AuthzSnapshot, older: SnapshotHistory? = nil, keep: Int) {
        self.history = SnapshotHistory(snapshot, older: older, keep: keep)
    }
}
