public import Foundation

/// A key for `PersistentMap`, with the 64-bit hash the trie branches on.
///
/// `Hashable`'s SipHash costs about 20 ns per lookup and a check does several; the ids the
/// snapshot is keyed by are UUIDs the service generated itself (random, or time-ordered
/// with random low bytes), so their own bits are already uniformly spread and no client can
/// choose which keys get inserted. Folding them is enough, and an order of magnitude cheaper.
public protocol TrieKey: Hashable, Sendable {
    var trieHash: UInt64 { get }
}

extension UUID: TrieKey {
    @inlinable
    public var trieHash: UInt64 {
        let (a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7) = self.uuid
        let high =
            UInt64(a0) << 56 | UInt64(a1) << 48 | UInt64(a2) << 40 | UInt64(a3) << 32
            | UInt64(a4) << 24 | UInt64(a5) << 16 | UInt64(a6) << 8 | UInt64(a7)
        let low =
            UInt64(b0) << 56 | UInt64(b1) << 48 | UInt64(b2) << 40 | UInt64(b3) << 32
            | UInt64(b4) << 24 | UInt64(b5) << 16 | UInt64(b6) << 8 | UInt64(b7)
        // The trie reads the low bits first: put the random tail there, and mix the rest in.
        return low.byteSwapped ^ (high &* 0x9E37_79B9_7F4A_7C15)
    }
}
