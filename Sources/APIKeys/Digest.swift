internal import CSodium

/// Unkeyed BLAKE2b-256, for secrets that are already random enough that a slow hash adds
/// nothing (invitation and share tokens of 256 bits): only the digest is stored, and a
/// presented token is hashed and compared in constant time.
public enum Digest {
    public static func blake2b(_ message: some Collection<UInt8>) -> [UInt8] {
        Sodium.ensureInitialized()
        let bytes = Array(message)
        var output = [UInt8](repeating: 0, count: 32)
        _ = crypto_generichash(&output, output.count, bytes, UInt64(bytes.count), nil, 0)
        return output
    }
}

extension Digest {
    /// SHA-256, for what outside tools must be able to recompute (the audit log's chain).
    public static func sha256(_ message: some Collection<UInt8>) -> [UInt8] {
        Sodium.ensureInitialized()
        let bytes = Array(message)
        var output = [UInt8](repeating: 0, count: 32)
        _ = crypto_hash_sha256(&output, bytes, UInt64(bytes.count))
        return output
    }
}
