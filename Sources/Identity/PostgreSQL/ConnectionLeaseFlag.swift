internal import Synchronization

/// Set once a transaction holds its connection, so the wait for one can be bounded without
/// bounding the transaction itself (`PostgresIdentityStore.transaction`).
final class ConnectionLeaseFlag: Sendable {
    private let leased = Atomic<Bool>(false)

    func set() {
        self.leased.store(true, ordering: .releasing)
    }

    var isSet: Bool {
        self.leased.load(ordering: .acquiring)
    }
}
