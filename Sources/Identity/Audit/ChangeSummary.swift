public import Foundation

/// What a change-log entry did, in the words both the audit log and the event streams use:
/// an action (`member.added`, `job.succeeded`), its target and a few non-secret facts.
public struct ChangeSummary: Hashable, Sendable {
    public let action: String
    public let targetType: String
    public let targetID: UUID
    public let data: [String: String]

    public init(action: String, targetType: String, targetID: UUID, data: [String: String] = [:]) {
        self.action = action
        self.targetType = targetType
        self.targetID = targetID
        self.data = data
    }
}
