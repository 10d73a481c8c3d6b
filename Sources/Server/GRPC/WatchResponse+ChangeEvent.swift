internal import AuthzProto
import Foundation

extension Authz_V1_WatchResponse {
    static func subscribed(at revision: UInt64) -> Authz_V1_WatchResponse {
        var response = Authz_V1_WatchResponse()
        response.subscribed.revision = revision
        return response
    }

    /// The same event the SSE and WebSocket streams send as JSON, field for field.
    static func event(_ event: ChangeEvent, at cursor: EventCursor) -> Authz_V1_WatchResponse {
        var message = Authz_V1_ChangeEvent()
        message.id = event.id
        message.type = event.type
        message.revision = cursor.revision
        message.organizationID = event.organizationID
        message.target.type = event.target.type
        message.target.id = event.target.id
        message.data = event.data
        message.createdAt = event.createdAt
        var response = Authz_V1_WatchResponse()
        response.event = message
        return response
    }
}
