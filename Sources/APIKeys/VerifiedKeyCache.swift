public import Foundation
internal import Synchronization

/// Keys that passed argon2id recently, so only a key's first use pays for the hash.
///
/// Entries are found by a keyed BLAKE2b of the presented key, under a key made fresh for
/// each process: the cache never holds a key or anything a stolen memory dump could be
/// searched with. It is bounded, entries expire, and `evict(keyID:)` drops every entry of a
/// key the moment it is revoked or disabled.
public final class VerifiedKeyCache<Value: Sendable>: Sendable {
    struct Entry: Sendable {
        let keyID: UUID
        let value: Value
        let verifiedAt: Date
        /// A credential that expires on its own (a JWT) is never served past that.
        let validUntil: Date?
    }

    struct State: Sendable {
        var entries: [KeyDigest: Entry] = [:]
        var digestsByKey: [UUID: Set<KeyDigest>] = [:]
    }

    private let state = Mutex(State())
    private let hash = KeyedHash(key: SecureRandom.bytes(KeyedHash.keyLength))
    public let capacity: Int
    public let lifetime: TimeInterval

    public init(capacity: Int = 100_000, lifetime: TimeInterval = 300) {
        self.capacity = capacity
        self.lifetime = lifetime
    }

    public func digest(of presented: some StringProtocol) -> KeyDigest {
        self.hash.keyDigest(of: presented)
    }

    public func value(for digest: KeyDigest, at now: Date) -> Value? {
        self.state.withLock { state in
            guard let entry = state.entries[digest] else { return nil }
            guard now.timeIntervalSince(entry.verifiedAt) < self.lifetime, entry.validUntil.map({ now < $0 }) ?? true else {
                Self.remove(digest, keyID: entry.keyID, from: &state)
                return nil
            }
            return entry.value
        }
    }

    public func insert(_ value: Value, for digest: KeyDigest, keyID: UUID, at now: Date, validUntil: Date? = nil) {
        self.state.withLock { state in
            if state.entries.count >= self.capacity, let victim = state.entries.first {
                Self.remove(victim.key, keyID: victim.value.keyID, from: &state)
            }
            state.entries[digest] = Entry(keyID: keyID, value: value, verifiedAt: now, validUntil: validUntil)
            state.digestsByKey[keyID, default: []].insert(digest)
        }
    }

    /// Forgets every verified form of the key: its next use is checked against the store.
    public func evict(keyID: UUID) {
        self.state.withLock { state in
            for digest in state.digestsByKey.removeValue(forKey: keyID) ?? [] {
                state.entries.removeValue(forKey: digest)
            }
        }
    }

    public var count: Int { self.state.withLock { $0.entries.count } }

    private static func remove(_ digest: KeyDigest, keyID: UUID, from state: inout State) {
        state.entries.removeValue(forKey: digest)
        state.digestsByKey[keyID]?.remove(digest)
        if state.digestsByKey[keyID]?.isEmpty == true { state.digestsByKey.removeValue(forKey: keyID) }
    }
}
