internal import CSodium

/// Keyed BLAKE2b (libsodium's generichash): the verified-key cache and sealed share
/// snapshots are keyed by it, so a stolen cache or database cannot be searched for a guessed
/// key without the server's secret.
public struct KeyedHash: Sendable {
    public static let keyLength = 32
    public static let digestLength = 32
    private let key: [UInt8]

    public init(key: [UInt8]) {
        precondition(key.count == Self.keyLength, "a keyed hash needs a 32-byte key")
        Sodium.ensureInitialized()
        self.key = key
    }

    /// The digest of a string's UTF-8 bytes, read in place (no copy of the credential).
    public func keyDigest(of text: some StringProtocol) -> KeyDigest {
        var digest = KeyDigest()
        let hashed: Void? = text.utf8.withContiguousStorageIfAvailable { self.hash($0, into: &digest) }
        if hashed == nil {
            Array(text.utf8).withUnsafeBufferPointer { self.hash($0, into: &digest) }
        }
        return digest
    }

    private func hash(_ input: UnsafeBufferPointer<UInt8>, into digest: inout KeyDigest) {
        withUnsafeMutableBytes(of: &digest.words) { out in
            self.key.withUnsafeBufferPointer { key in
                _ = crypto_generichash(
                    out.baseAddress!.assumingMemoryBound(to: UInt8.self),
                    Self.digestLength,
                    input.baseAddress,
                    UInt64(input.count),
                    key.baseAddress,
                    key.count
                )
            }
        }
    }

    public func digest(_ message: some Collection<UInt8>) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Self.digestLength)
        let bytes = Array(message)
        output.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in
                self.key.withUnsafeBufferPointer { key in
                    _ = crypto_generichash(
                        out.baseAddress!,
                        out.count,
                        input.baseAddress,
                        UInt64(input.count),
                        key.baseAddress,
                        key.count
                    )
                }
            }
        }
        return output
    }
}
