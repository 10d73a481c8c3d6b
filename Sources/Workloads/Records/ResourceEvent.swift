public import Foundation

/// One step in the history of a job (or, later, a workflow run), numbered from 1 within it:
/// what its event stream replays from the start and resumes after `Last-Event-ID`.
public struct ResourceEvent: Hashable, Sendable {
    public let resourceID: UUID
    public let sequence: Int64
    /// `status`, with the new status and what came of it in `data`.
    public let type: String
    /// A JSON object.
    public let data: String
    public let createdAt: Date

    public init(resourceID: UUID, sequence: Int64, type: String, data: String, createdAt: Date) {
        self.resourceID = resourceID
        self.sequence = sequence
        self.type = type
        self.data = data
        self.createdAt = createdAt
    }
}
