public import Foundation
public import Hummingbird
public import HummingbirdWebSocket
public import Identity
public import NIOCore

/// The request context of every route: the ids the envelope reports. (The authenticated
/// principal joins it with authentication.)
public struct AppRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// `X-Request-Id` when the client sent a UUID, otherwise new; echoed in every response.
    public var requestID: UUID
    /// The trace id of a W3C `traceparent` header, otherwise new.
    public var traceID: UUID
    /// Set by `AuthenticationMiddleware` on every `/v1` request that gets through.
    public var authentication: Authentication?
    /// Shared with the outermost middleware, which writes the request's log line.
    public var trace: RequestTrace
    /// The socket peer. (Behind trusted proxies, `X-Forwarded-For` will take its place.)
    public var clientAddress: String
    /// For the audit log; set with the request ids.
    public var userAgent: String?
    /// Where `/v1/events/ws` leaves its handler for the upgrade that follows.
    public let webSocket: WebSocketHandlerReference<AppRequestContext>
    /// The connection, for what must reach its pipeline (a refused upgrade's answer).
    public let channel: any Channel

    public init(source: Source) {
        self.coreContext = .init(source: source)
        let now = Date()
        self.requestID = RequestIDGenerator.next(at: now)
        self.traceID = RequestIDGenerator.next(at: now)
        self.authentication = nil
        self.trace = RequestTrace()
        self.clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
        self.userAgent = nil
        self.webSocket = WebSocketHandlerReference()
        self.channel = source.channel
    }

    /// The caller of a `/v1` route; authentication has run for every one of them.
    public func caller() throws -> Authentication {
        guard let authentication = self.authentication else { throw APIError.unauthorized }
        return authentication
    }

    /// Who asked and from where, for the audit records of what the request changes.
    public func auditContext() -> AuditContext {
        let caller = self.authentication
        return AuditContext(
            actorID: caller?.principal.id,
            keyID: caller.flatMap { $0.isAPIKey ? $0.keyID : nil },
            requestID: self.requestID,
            clientAddress: self.clientAddress,
            userAgent: self.userAgent
        )
    }

    /// docs/API.md §1: bodies above 1 MiB are refused (413).
    public var maxUploadSize: Int { 1 << 20 }

    /// Sorted keys: the same answer is the same bytes, which diffs and caches like.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
