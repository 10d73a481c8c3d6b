public import Foundation

/// What the store keeps of a request sent with an `Idempotency-Key`: digests of the key and of
/// the request, and the sealed response once there is one. An empty `sealedResponse` marks a
/// request still being handled.
public struct IdempotencyRecord: Hashable, Sendable {
    public let principalID: UUID
    public let keyDigest: [UInt8]
    public let requestDigest: [UInt8]
    public let sealedResponse: [UInt8]
    public let createdAt: Date

    public init(principalID: UUID, keyDigest: [UInt8], requestDigest: [UInt8], sealedResponse: [UInt8], createdAt: Date) {
        self.principalID = principalID
        self.keyDigest = keyDigest
        self.requestDigest = requestDigest
        self.sealedResponse = sealedResponse
        self.createdAt = createdAt
    }

    public var isPending: Bool { self.sealedResponse.isEmpty }
}
