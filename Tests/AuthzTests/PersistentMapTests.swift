import Foundation
import Testing

@testable import Authz

/// A key whose hash the test chooses, to force full-hash collisions and deep paths.
struct CollidingKey: TrieKey {
    let value: Int
    let bucket: Int

    /// Only `bucket` distinguishes hashes: every key of a bucket collides in full.
    var trieHash: UInt64 { UInt64(self.bucket) &* 0x9E37_79B9_7F4A_7C15 }
}

/// Keys whose hashes differ only in their high bits, forcing the deepest paths.
struct Counter: TrieKey {
    let value: Int
    var trieHash: UInt64 { UInt64(self.value) << 40 }
}

@Suite struct PersistentMapTests {
    /// UUIDs hash from their own random bits: distinct for distinct ids, spread in the low bits.
    @Test func uuidTrieHashSpreads() {
        let ids = (0..<10_000).map { _ in UUID() }
        #expect(Set(ids.map(\.trieHash)).count == ids.count)
        let lowFive = Set(ids.map { $0.trieHash & 31 })
        #expect(lowFive.count == 32)
    }

    /// Random inserts, overwrites and removals agree with `Dictionary` at every step.
    /// Key ranges below and far above the flat-table limit, so both layouts and the switch
    /// between them are exercised; few buckets force full-hash collisions.
    @Test(arguments: [(1, 500), (7, 500), (64, 500), (1 << 20, 200), (1 << 20, 3000)])
    func agreesWithDictionary(buckets: Int, keys: Int) {
        var generator = SplitMix(seed: UInt64(buckets + keys))
        var map = PersistentMap<CollidingKey, Int>()
        var reference: [CollidingKey: Int] = [:]
        for step in 0..<6000 {
            let key = CollidingKey(value: Int(generator.next() % UInt64(keys)), bucket: Int(generator.next() % UInt64(buckets)))
            if generator.next() % 3 == 0 {
                #expect(map.removeValue(for: key) == reference.removeValue(forKey: key))
            } else {
                map[key] = step
                reference[key] = step
            }
            #expect(map.count == reference.count)
        }
        for (key, value) in reference {
            #expect(map[key] == value)
        }
        var visited: [CollidingKey: Int] = [:]
        map.forEach { visited[$0] = $1 }
        #expect(visited == reference)
    }

    /// The batch lookups (`values(for:)`, walked level by level) and the two-step probes
    /// answer exactly what single lookups do: present and absent keys, both layouts, full-hash
    /// collisions, and the same key asked twice in one batch.
    @Test(arguments: [(1, 40), (7, 200), (64, 500), (1 << 20, 100), (1 << 20, 3000)])
    func batchLookupsAgreeWithSingleLookups(buckets: Int, keys: Int) {
        var generator = SplitMix(seed: UInt64(buckets &* 31 + keys))
        var map = PersistentMap<CollidingKey, Int>()
        for step in 0..<keys {
            map[CollidingKey(value: step, bucket: Int(generator.next() % UInt64(buckets)))] = step
        }
        let present = Array(map.keys)
        let absent = (0..<200).map { CollidingKey(value: keys + $0, bucket: Int(generator.next() % UInt64(buckets))) }
        var asked = present + absent + present.prefix(50)
        for index in asked.indices.reversed() {
            asked.swapAt(index, Int(generator.next() % UInt64(index + 1)))
        }
        #expect(map.values(for: asked) == asked.map { map[$0] })
        #expect(asked.map { map.value(for: $0, probe: map.probe($0)) } == asked.map { map[$0] })
        #expect(map.values(for: absent).allSatisfy { $0 == nil })
        #expect(PersistentMap<CollidingKey, Int>().values(for: asked).allSatisfy { $0 == nil })
    }

    /// Updating a copy leaves the original as it was: the property snapshots rely on.
    @Test func versionsAreIndependent() {
        var first = PersistentMap<Counter, String>()
        for i in 0..<1000 { first[Counter(value: i)] = "v\(i)" }
        var second = first
        second[Counter(value: 5)] = "changed"
        second.removeValue(for: Counter(value: 6))
        second[Counter(value: 2000)] = "new"
        #expect(first[Counter(value: 5)] == "v5" && first[Counter(value: 6)] == "v6" && first[Counter(value: 2000)] == nil && first.count == 1000)
        #expect(second[Counter(value: 5)] == "changed" && second[Counter(value: 6)] == nil && second[Counter(value: 2000)] == "new")
        #expect(second.count == 1000)
    }

    @Test func removingEverythingEmpties() {
        var map = PersistentMap((0..<300).map { (Counter(value: $0), $0) })
        #expect(map.count == 300)
        for i in 0..<300 { #expect(map.removeValue(for: Counter(value: i)) == i) }
        #expect(map.isEmpty && map.storage == nil)
        #expect(map.removeValue(for: Counter(value: 1)) == nil)
    }
}

/// Bulk building (`init(uniqueKeysWithValues:)`, how a store's start makes its maps) gives
/// the very trie inserting the same keys one by one gives: same nodes, same bitmaps, same
/// entries in the same places, collisions and deep paths included.
@Suite struct PersistentMapBuildingTests {
    @Test(arguments: [(1 << 20, 3_000), (7, 2_000), (1, 300), (64, 260), (1 << 20, 100)])
    func buildsTheTrieInsertionBuilds(buckets: Int, count: Int) {
        var generator = SplitMix(seed: UInt64(buckets ^ count))
        var elements: [(CollidingKey, Int)] = []
        var seen: Set<CollidingKey> = []
        while elements.count < count {
            let key = CollidingKey(value: Int(generator.next() % 1_000_000), bucket: Int(generator.next() % UInt64(buckets)))
            if seen.insert(key).inserted { elements.append((key, elements.count)) }
        }
        var inserted = PersistentMap<CollidingKey, Int>()
        for (key, value) in elements { inserted[key] = value }
        let built = PersistentMap(uniqueKeysWithValues: elements)
        #expect(built.count == inserted.count)
        for (key, value) in elements { #expect(built[key] == value) }
        switch (built.storage, inserted.storage) {
        case (.trie(let a), .trie(let b)): #expect(Self.sameShape(a.root, b.root))
        case (.flat, .flat): #expect(count <= PersistentMap<CollidingKey, Int>.flatLimit)
        default: Issue.record("one is a trie, the other is not")
        }
    }

    @Test func buildsDeepPaths() {
        let elements = (0..<1_000).map { (Counter(value: $0), $0) }
        var inserted = PersistentMap<Counter, Int>()
        for (key, value) in elements { inserted[key] = value }
        let built = PersistentMap(uniqueKeysWithValues: elements)
        guard case .trie(let a) = built.storage, case .trie(let b) = inserted.storage else {
            Issue.record("not tries")
            return
        }
        #expect(Self.sameShape(a.root, b.root))
    }

    /// Collision nodes hold their entries in insertion order, so those compare as sets.
    static func sameShape<K, V: Equatable>(_ a: PersistentMap<K, V>.Node, _ b: PersistentMap<K, V>.Node) -> Bool {
        guard a.dataMap == b.dataMap, a.nodeMap == b.nodeMap, a.collisionHash == b.collisionHash,
            a.entries.count == b.entries.count, a.children.count == b.children.count
        else { return false }
        if a.collisionHash != nil {
            return a.entries.allSatisfy { entry in b.entries.contains { $0.key == entry.key && $0.value == entry.value } }
        }
        return zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
            && zip(a.children, b.children).allSatisfy { sameShape($0, $1) }
    }
}

/// A small deterministic generator so failures reproduce.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
