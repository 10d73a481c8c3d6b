/// Where an event stream stands: the `index`-th entry of change-log revision `revision`.
/// Event ids are `revision.index`, so `Last-Event-ID` resumes exactly after the last event the
/// client saw, even inside a revision that holds several.
struct EventCursor: Hashable, Sendable, Comparable {
    let revision: UInt64
    let index: Int

    var id: String { "\(self.revision).\(self.index)" }

    /// `1042.0`, or a bare revision (`1042`: everything of that revision was seen).
    init?(id: String) {
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let revision = UInt64(parts[0]) else { return nil }
        if parts.count == 2 {
            guard let index = Int(parts[1]), index >= 0 else { return nil }
            self.init(revision: revision, index: index)
        } else {
            self.init(revision: revision, index: .max)
        }
    }

    init(revision: UInt64, index: Int) {
        self.revision = revision
        self.index = index
    }

    static func < (lhs: EventCursor, rhs: EventCursor) -> Bool {
        (lhs.revision, lhs.index) < (rhs.revision, rhs.index)
    }
}
