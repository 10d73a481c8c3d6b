extension PersistentMap {
    /// Open addressing with linear probing at most half full: a lookup is usually one probe
    /// into one contiguous array, and copying the table is one `memcpy` for trivial entries.
    struct FlatTable: Sendable {
        private(set) var slots: [(key: Key, value: Value)?]
        /// `capacity - 1`, kept beside the reference to the slots: a lookup then goes straight
        /// to its slot, instead of first reading the count from the array's header — a cache
        /// line of its own, and a dependent miss on every cold lookup.
        private let mask: Int

        init(capacity: Int) {
            precondition(capacity > 0 && capacity & (capacity - 1) == 0, "a power of two")
            self.slots = Array(repeating: nil, count: capacity)
            self.mask = capacity - 1
        }

        var capacity: Int { self.mask + 1 }

        func value(for key: Key, hash: UInt64) -> Value? {
            self.slots.withUnsafeBufferPointer { slots in
                let mask = self.mask
                var index = Int(truncatingIfNeeded: hash) & mask
                while let slot = slots[index] {
                    if slot.key == key { return slot.value }
                    index = (index &+ 1) & mask
                }
                return nil
            }
        }

        /// The key's home slot, copied out without looking at it: no branch depends on the
        /// loaded line, so a batch of these keeps many cache misses in flight.
        func homeSlot(hash: UInt64) -> (key: Key, value: Value)? {
            self.slots.withUnsafeBufferPointer { $0[Int(truncatingIfNeeded: hash) & self.mask] }
        }

        func withValue<Result>(for key: Key, hash: UInt64, _ body: (Value) -> Result) -> Result? {
            self.slots.withUnsafeBufferPointer { slots in
                let mask = self.mask
                var index = Int(truncatingIfNeeded: hash) & mask
                while let storedKey = slots[index]?.key {
                    if storedKey == key { return body(slots[index].unsafelyUnwrapped.value) }
                    index = (index &+ 1) & mask
                }
                return nil
            }
        }

        /// Replaces the value of an existing key; false when the key is absent.
        mutating func replace(_ key: Key, _ value: Value, hash: UInt64) -> Bool {
            let mask = self.mask
            var index = Int(truncatingIfNeeded: hash) & mask
            while let slot = self.slots[index] {
                if slot.key == key {
                    self.slots[index] = (key, value)
                    return true
                }
                index = (index + 1) & mask
            }
            return false
        }

        /// Inserts a key known to be absent; the caller keeps the table at most half full.
        mutating func insert(_ key: Key, _ value: Value, hash: UInt64) {
            let mask = self.mask
            var index = Int(truncatingIfNeeded: hash) & mask
            while self.slots[index] != nil {
                index = (index + 1) & mask
            }
            self.slots[index] = (key, value)
        }

        /// Removes a key known to be present, shifting later entries of its probe run back so
        /// no lookup ever stops early at the hole (no tombstones to accumulate).
        mutating func remove(_ key: Key, hash: UInt64) -> Value? {
            let mask = self.mask
            var hole = Int(truncatingIfNeeded: hash) & mask
            while let slot = self.slots[hole], slot.key != key {
                hole = (hole + 1) & mask
            }
            let removed = self.slots[hole]?.value
            self.slots[hole] = nil
            var next = hole
            while true {
                next = (next + 1) & mask
                guard let slot = self.slots[next] else { break }
                let home = Int(truncatingIfNeeded: slot.key.trieHash) & mask
                // The entry may stay only if its home lies cyclically in (hole, next].
                let stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next)
                if !stays {
                    self.slots[hole] = slot
                    self.slots[next] = nil
                    hole = next
                }
            }
            return removed
        }

        func resized(to capacity: Int) -> FlatTable {
            var table = FlatTable(capacity: capacity)
            self.forEach { table.insert($0, $1, hash: $0.trieHash) }
            return table
        }

        func forEach(_ body: (Key, Value) throws -> Void) rethrows {
            for case let slot? in self.slots {
                try body(slot.key, slot.value)
            }
        }

        func sharesSlots(with other: FlatTable) -> Bool {
            self.slots.withUnsafeBufferPointer { a in other.slots.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
        }
    }
}
