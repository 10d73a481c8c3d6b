internal import CSodium

/// Randomness for secrets and tokens, from libsodium's CSPRNG.
public enum SecureRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        Sodium.ensureInitialized()
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            randombytes_buf(buffer.baseAddress!, buffer.count)
        }
        return bytes
    }
}
