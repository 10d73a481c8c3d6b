public import Foundation

/// One committed write as the change log holds it: its revision and what it did.
public struct ChangeRecord: Hashable, Sendable {
    public let revision: UInt64
    public let entries: [ChangeLogEntry]
    public let createdAt: Date

    public init(revision: UInt64, entries: [ChangeLogEntry], createdAt: Date) {
        self.revision = revision
        self.entries = entries
        self.createdAt = createdAt
    }
}
