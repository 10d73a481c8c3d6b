internal import APIKeys
import Foundation

/// The secret that accepts an invitation: 256 bits from libsodium, shown once as 64 hex
/// digits. The store keeps its BLAKE2b digest; a presented token is hashed and compared in
/// constant time.
public struct InvitationToken: Sendable, CustomStringConvertible {
    public let text: String

    public static func generate() -> InvitationToken {
        let bytes = SecureRandom.bytes(32)
        return InvitationToken(text: Hex.encode(bytes))
    }

    public init(text: String) {
        self.text = text
    }

    public var digest: [UInt8] {
        Digest.blake2b(Array(self.text.utf8))
    }

    public func matches(_ digest: [UInt8]) -> Bool {
        ConstantTime.equals(self.digest, digest)
    }

    public var description: String { "[invitation token redacted]" }
}
