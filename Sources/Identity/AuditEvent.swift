public import Foundation

/// One thing the audit log keeps: who did what to which target, when. Written in the same
/// transaction as the change it describes, so the log never claims a change that did not
/// commit, nor misses one that did. Like the change log, it never holds a secret.
public struct AuditEvent: Hashable, Sendable {
    public let id: UUID
    public let organizationID: UUID?
    /// Nil when nobody authenticated (a failed sign-in).
    public let actorID: UUID?
    /// `api_key.created`, `authentication.failed`, ...
    public let action: String
    public let targetType: String?
    public let targetID: UUID?
    /// Small, non-secret facts about the event (a grace period, a failure's reason).
    public let data: [String: String]
    public let createdAt: Date

    public init(
        id: UUID = UUID(), organizationID: UUID?, actorID: UUID?, action: String, targetType: String?, targetID: UUID?,
        data: [String: String] = [:], createdAt: Date
    ) {
        self.id = id
        self.organizationID = organizationID
        self.actorID = actorID
        self.action = action
        self.targetType = targetType
        self.targetID = targetID
        self.data = data
        self.createdAt = createdAt
    }

    var encodedData: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(self.data)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func decodeData(_ text: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }
}
