internal import Authz
import Foundation

/// A batch once decided: its items, whom each asks about and their decisions, on one snapshot.
///
/// The answer is written straight from these (`DecidedBatch+JSON`), not through a
/// `CheckResult` per item: building those values, each with its own copies of names and of
/// the snapshot, cost more than deciding the checks. `result(at:)` builds one where a value
/// is wanted (gRPC, the `Encodable` form, an explained item).
struct DecidedBatch: Sendable {
    let items: [CheckItem]
    let subjects: [UUID]
    let decisions: [Decision]
    /// The traces of the items that asked for `explain`, by position.
    let traces: [Int: [TraceStep]]
    let snapshot: AuthzSnapshot

    var count: Int { self.items.count }

    var allowedCount: Int {
        self.decisions.reduce(0) { $0 + ($1.allowed ? 1 : 0) }
    }

    func result(at index: Int) -> CheckResult {
        CheckResult(
            self.items[index],
            subject: self.subjects[index],
            decision: self.decisions[index],
            trace: self.traces[index],
            snapshot: self.snapshot
        )
    }

    var results: [CheckResult] {
        self.items.indices.map(self.result(at:))
    }
}
