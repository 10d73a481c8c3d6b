internal import Authz

/// Recent snapshots, newest first, as a persistent list: publishing one is one allocation,
/// and an older snapshot costs only the nodes its successors replaced (structural sharing).
/// Lookups page through the snapshot their first page saw, so a paginated answer is one
/// consistent view even while writes go on.
final class SnapshotHistory: Sendable {
    let snapshot: AuthzSnapshot
    let older: SnapshotHistory?
    let depth: Int

    init(_ snapshot: AuthzSnapshot, older: SnapshotHistory?, keep: Int) {
        self.snapshot = snapshot
        // Trim by rebuilding once the list is twice as long as asked: amortized O(1).
        if let older, older.depth + 1 > keep * 2 {
            var kept: [AuthzSnapshot] = []
            var node: SnapshotHistory? = older
            while let current = node, kept.count < keep - 1 {
                kept.append(current.snapshot)
                node = current.older
            }
            var rebuilt: SnapshotHistory?
            for snapshot in kept.reversed() {
                rebuilt = SnapshotHistory(snapshot, older: rebuilt, keep: keep)
            }
            self.older = rebuilt
        } else {
            self.older = older
        }
        self.depth = (self.older?.depth ?? 0) + 1
    }

    func snapshot(at revision: UInt64) -> AuthzSnapshot? {
        var node: SnapshotHistory? = self
        while let current = node {
            if current.snapshot.revision == revision { return current.snapshot }
            if current.snapshot.revision < revision { return nil }
            node = current.older
        }
        return nil
    }
}
