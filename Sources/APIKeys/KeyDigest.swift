/// A keyed BLAKE2b digest of a presented credential, as a plain value: the verified-key
/// cache is keyed by it on every request, and as a `[UInt8]` each lookup cost an allocation
/// and a hash over the whole array.
public struct KeyDigest: Hashable, Sendable {
    var words: (UInt64, UInt64, UInt64, UInt64)

    init() {
        self.words = (0, 0, 0, 0)
    }

    public static func == (lhs: KeyDigest, rhs: KeyDigest) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    /// One word is enough to spread: the digest is uniform, and nobody without the process's
    /// secret hash key can choose which digests collide.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.words.0)
    }
}
