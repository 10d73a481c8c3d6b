internal import CSodium
public import Foundation

/// An API key as presented by a client: `azk_<key id>_<secret><checksum>`.
///
/// The id (32 hex digits) finds the stored record without touching the secret; the secret
/// is 256 bits from libsodium, base32; the checksum (7 base32 characters over id and
/// secret) lets a client or a secret scanner recognise a mistyped or truncated key without
/// asking the server. The key's text never appears in `description`, so it cannot leak into
/// a log line by interpolation.
public struct APIKey: Sendable, Equatable, CustomStringConvertible {
    public static let prefix = "azk_"
    public static let secretLength = 32
    static let checksumLength = 4

    public let id: UUID
    public let secret: [UInt8]

    /// A new key with a fresh secret.
    public static func generate(id: UUID) -> APIKey {
        APIKey(id: id, secret: SecureRandom.bytes(Self.secretLength))
    }

    public init(id: UUID, secret: [UInt8]) {
        self.id = id
        self.secret = secret
    }

    /// Nil for anything that is not a well-formed key with a correct checksum.
    public init?(parsing text: String) {
        guard text.hasPrefix(Self.prefix) else { return nil }
        let body = text.dropFirst(Self.prefix.count)
        let parts = body.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 2, let id = Self.uuid(fromHex: parts[0]) else { return nil }
        let tail = Substring(parts[1])
        let secretCharacters = (Self.secretLength * 8 + 4) / 5
        let checksumCharacters = (Self.checksumLength * 8 + 4) / 5
        guard tail.utf8.count == secretCharacters + checksumCharacters,
            let secret = Base32.decode(tail.prefix(secretCharacters), count: Self.secretLength),
            let checksum = Base32.decode(tail.suffix(checksumCharacters), count: Self.checksumLength),
            checksum == Self.checksum(id: id, secret: secret)
        else { return nil }
        self.init(id: id, secret: secret)
    }

    /// The full key, to be shown to its owner exactly once.
    public var rendered: String {
        Self.prefix + self.prefixID + "_" + Base32.encode(self.secret)
            + Base32.encode(Self.checksum(id: self.id, secret: self.secret))
    }

    /// The id part, which listings show so a person can tell keys apart.
    public var prefixID: String {
        Self.hex(self.id)
    }

    /// What listings show of a key whose secret is long gone: `azk_<id>`.
    public static func displayPrefix(id: UUID) -> String {
        Self.prefix + Self.hex(id)
    }

    public var description: String { "\(Self.prefix)\(self.prefixID)_[redacted]" }

    static func checksum(id: UUID, secret: [UInt8]) -> [UInt8] {
        Sodium.ensureInitialized()
        let input = withUnsafeBytes(of: id.uuid) { Array($0) } + secret
        var output = [UInt8](repeating: 0, count: Self.checksumLength)
        _ = crypto_generichash(&output, output.count, input, UInt64(input.count), nil, 0)
        return output
    }

    static func hex(_ id: UUID) -> String {
        Hex.encode(withUnsafeBytes(of: id.uuid) { Array($0) })
    }

    static func uuid(fromHex text: Substring) -> UUID? {
        guard text.utf8.count == 32, let bytes = Hex.decode(String(text)) else { return nil }
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            )
        )
    }
}
