import Testing

@testable import Authz

/// A key whose hash the test chooses, to force full-hash collisions and deep paths.
struct CollidingKey: Hashable, Sendable {
    let value: Int
    let bucket: Int

    func hash(into hasher: inout Hasher) {
        hasher.combine(self.bucket)
    }
}

@Suite struct PersistentMapTests {
    /// Random inserts, overwrites and removals agree with `Dictionary` at every step.
    @Test(arguments: [1, 7, 64])
    func agreesWithDictionary(buckets: Int) {
        var generator = SplitMix(seed: UInt64(buckets))
        var map = PersistentMap<CollidingKey, Int>()
        var reference: [CollidingKey: Int] = [:]
        for step in 0..<4000 {
            let key = CollidingKey(value: Int(generator.next() % 500), bucket: Int(generator.next() % UInt64(buckets)))
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

    /// Updating a copy leaves the original as it was: the property snapshots rely on.
    @Test func versionsAreIndependent() {
        var first = PersistentMap<Int, String>()
        for i in 0..<1000 { first[i] = "v\(i)" }
        var second = first
        second[5] = "changed"
        second.removeValue(for: 6)
        second[2000] = "new"
        #expect(first[5] == "v5" && first[6] == "v6" && first[2000] == nil && first.count == 1000)
        #expect(second[5] == "changed" && second[6] == nil && second[2000] == "new" && second.count == 1000)
    }

    @Test func removingEverythingEmpties() {
        var map = PersistentMap((0..<300).map { ($0, $0) })
        for i in 0..<300 { map.removeValue(for: i) }
        #expect(map.isEmpty && map.root == nil)
        #expect(map.removeValue(for: 1) == nil)
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
