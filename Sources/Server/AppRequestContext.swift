public import Foundation
public import Hummingbird

/// The request context of every route: the ids the envelope reports. (The authenticated
/// principal joins it with authentication.)
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// `X-Request-Id` when the client sent a UUID, otherwise new; echoed in every response.
    public var requestID: UUID
    /// The trace id of a W3C `traceparent` header, otherwise new.
    public var traceID: UUID

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.requestID = UUID()
        self.traceID = UUID()
    }

    /// API.md §1: bodies above 1 MiB are refused (413).
    public var maxUploadSize: Int { 1 << 20 }
}
