internal import CSodium

/// SHA-256 over data that arrives in pieces (an upload streamed to disk): the content address
/// of an asset is known when its last byte is written, without holding the whole.
public struct SHA256Hasher: Sendable {
    private var state = crypto_hash_sha256_state()

    public init() {
        Sodium.ensureInitialized()
        _ = crypto_hash_sha256_init(&self.state)
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        _ = crypto_hash_sha256_update(&self.state, bytes.bindMemory(to: UInt8.self).baseAddress, UInt64(bytes.count))
    }

    public consuming func finalize() -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        _ = crypto_hash_sha256_final(&self.state, &output)
        return output
    }
}
