internal import CSodium

/// libsodium's secretbox (XSalsa20-Poly1305): how a stored reply that holds a secret (a new
/// API key kept for an idempotent replay) is sealed, under a key only the client can supply.
public enum SecretBox {
    public static let keyLength = 32
    static let nonceLength = 24
    static let macLength = 16

    /// Nonce, then ciphertext and tag.
    public static func seal(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        precondition(key.count == Self.keyLength, "secretbox needs a 32-byte key")
        Sodium.ensureInitialized()
        let nonce = SecureRandom.bytes(Self.nonceLength)
        var sealed = [UInt8](repeating: 0, count: message.count + Self.macLength)
        _ = crypto_secretbox_easy(&sealed, message, UInt64(message.count), nonce, key)
        return nonce + sealed
    }

    /// Nil when the key is wrong or the box was tampered with.
    public static func open(_ box: [UInt8], key: [UInt8]) -> [UInt8]? {
        guard key.count == Self.keyLength, box.count >= Self.nonceLength + Self.macLength else { return nil }
        Sodium.ensureInitialized()
        let nonce = Array(box.prefix(Self.nonceLength))
        let sealed = Array(box.dropFirst(Self.nonceLength))
        var message = [UInt8](repeating: 0, count: sealed.count - Self.macLength)
        guard crypto_secretbox_open_easy(&message, sealed, UInt64(sealed.count), nonce, key) == 0 else { return nil }
        return message
    }
}
