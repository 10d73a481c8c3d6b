internal import Atomics
internal import Authz

/// The box an atomic strong reference can point at; swift-atomics handles the memory
/// reclamation that makes loading and replacing it from many threads safe.
final class SnapshotReference: AtomicReference, Sendable {
    let snapshot: AuthzSnapshot

    init(_ snapshot: AuthzSnapshot) {
        self.snapshot = snapshot
    }
}
