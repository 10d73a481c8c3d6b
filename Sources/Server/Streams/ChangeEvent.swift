import Foundation
internal import Identity
import JSON

/// One state change as the event streams deliver it (SSE `data`, a WebSocket text message).
struct ChangeEvent: Encodable, Sendable {
    struct Target: Encodable, Sendable {
        let type: String
        let id: String
    }

    let id: String
    let type: String
    let revision: String
    let organizationID: String
    let target: Target
    let data: [String: String]
    let createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, type, revision, target, data
        case organizationID = "organization_id"
        case createdAt = "created_at"
    }

    init(_ entry: ChangeLogEntry, organization: UUID, cursor: EventCursor, at date: Date) {
        let summary = entry.summary
        self.id = cursor.id
        self.type = summary.action
        self.revision = String(cursor.revision)
        self.organizationID = organization.text
        self.target = Target(type: summary.targetType, id: summary.targetID.text)
        self.data = summary.data
        self.createdAt = Timestamp.format(date)
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
