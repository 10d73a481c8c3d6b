public import Foundation

/// Who asked, from where: what every audit record of a request carries beside its action.
public struct AuditContext: Hashable, Sendable {
    public let actorID: UUID?
    /// The API key the actor authenticated with, when it was one.
    public let keyID: UUID?
    public let requestID: UUID?
    public let clientAddress: String?
    public let userAgent: String?

    public init(actorID: UUID?, keyID: UUID? = nil, requestID: UUID? = nil, clientAddress: String? = nil, userAgent: String? = nil) {
        self.actorID = actorID
        self.keyID = keyID
        self.requestID = requestID
        self.clientAddress = clientAddress
        self.userAgent = userAgent.map { String($0.prefix(256)) }
    }
}
