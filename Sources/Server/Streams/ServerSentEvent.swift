internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

/// One Server-Sent Event as written on the wire. Data is JSON on one line, so it never needs
/// splitting into several `data:` lines.
struct ServerSentEvent: Sendable {
    var id: String?
    var event: String?
    var data: String

    var buffer: ByteBuffer {
        var text = ""
        if let id { text += "id: \(id)\n" }
        if let event { text += "event: \(event)\n" }
        text += "data: \(data)\n\n"
        return ByteBuffer(string: text)
    }

    /// A comment line: keeps an idle stream (and any proxy in between) alive.
    static let keepAlive = ByteBuffer(string: ": keep-alive\n\n")

    /// The first thing a stream says: from here on, no event is missed.
    static let subscribed = ByteBuffer(string: ": subscribed\n\n")

    static let tooSlow = #"{"code":"slow_consumer","message":"the subscriber fell too far behind; reconnect with Last-Event-ID"}"#
    static let credentialEnded =
        #"{"code":"unauthorized","message":"the stream's credential was revoked or disabled, or its principal left an organization; reconnect with a valid one"}"#

    static let lastEventIDHeader = HTTPField.Name("Last-Event-ID")!

    /// `Last-Event-ID`, or `?last_event_id=` for clients that cannot set headers.
    static func lastEventID(_ request: Request) -> String? {
        request.headers[Self.lastEventIDHeader] ?? request.uri.queryParameters["last_event_id"].map(String.init)
    }
}
