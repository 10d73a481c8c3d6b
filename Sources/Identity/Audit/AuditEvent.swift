internal import APIKeys
public import Foundation

/// One thing the audit log keeps: who did what to which target, when, how it ended. Written in
/// the same transaction as the change it describes, so the log never claims a change that did
/// not commit, nor misses one that did. Like the change log, it never holds a secret.
///
/// Each organization's events form a chain (the platform's own events, with no organization,
/// another): an event's `hash` is SHA-256 over the previous event's hash and this event's
/// canonical form, so editing, removing or reordering a stored event breaks every hash after
/// it — which `authz audit verify` reports.
public struct AuditEvent: Hashable, Sendable {
    public let id: UUID
    public let organizationID: UUID?
    /// Who, from where; the actor is nil when nobody authenticated (a failed sign-in).
    public let context: AuditContext
    /// `api_key.created`, `authentication.failed`, ...
    public let action: String
    public let targetType: String?
    public let targetID: UUID?
    public let outcome: AuditOutcome
    /// Small, non-secret facts about the event (a grace period, a failure's reason).
    public let data: [String: String]
    public let createdAt: Date

    public init(
        id: UUID = UUID.timeOrdered(),
        organizationID: UUID?,
        context: AuditContext,
        action: String,
        targetType: String?,
        targetID: UUID?,
        outcome: AuditOutcome = .success,
        data: [String: String] = [:],
        createdAt: Date
    ) {
        self.id = id
        self.organizationID = organizationID
        self.context = context
        self.action = action
        self.targetType = targetType
        self.targetID = targetID
        self.outcome = outcome
        self.data = data
        // Whole milliseconds: what both stores keep exactly, so the hash computed now is the
        // hash recomputed from the stored row. To the nearest one: a time read back from
        // PostgreSQL (microseconds since 2000, as a Double) can land a hair below its
        // millisecond, and rounding down then moved it to the one before.
        self.createdAt = Date(timeIntervalSince1970: (createdAt.timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    public var actorID: UUID? { self.context.actorID }

    /// The hash chained after `previous` (32 zero bytes for a chain's first event).
    public func hash(after previous: [UInt8]) -> [UInt8] {
        Digest.sha256(previous + Array(self.canonical.utf8))
    }

    public static let chainStart = [UInt8](repeating: 0, count: 32)

    /// Every stored field, in a fixed order, each prefixed by its length; the time in
    /// milliseconds.
    var canonical: String {
        func text(_ id: UUID?) -> String { id?.uuidString.lowercased() ?? "" }
        let milliseconds = Int64((self.createdAt.timeIntervalSince1970 * 1000).rounded())
        return [
            text(self.id), text(self.organizationID), text(self.context.actorID), text(self.context.keyID), self.action,
            self.targetType ?? "", text(self.targetID), self.outcome.rawValue, text(self.context.requestID), self.context.clientAddress ?? "",
            self.context.userAgent ?? "", self.encodedData, String(milliseconds),
        ].map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }

    package var encodedData: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(self.data)) ?? Data("{}".utf8), as: UTF8.self)
    }

    package static func decodeData(_ text: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }
}
