extension PersistentMap {
    /// One level of the trie: a 32-bit occupancy bitmap over five bits of the hash, and the
    /// occupied slots packed in bit order. Nodes are never mutated once built, which is what
    /// lets two versions of the map share them across threads.
    final class Node: Sendable {
        let bitmap: UInt32
        let slots: [Slot]

        init(bitmap: UInt32, slots: [Slot]) {
            self.bitmap = bitmap
            self.slots = slots
        }

        enum Slot: Sendable {
            case entry(Key, Value)
            case node(Node)
            /// Keys whose full 64-bit hashes are equal: they can never be told apart by going
            /// deeper, so they share one slot and are compared one by one.
            case collision(hash: UInt64, [(Key, Value)])
        }

        static func bit(_ hash: UInt64, shift: UInt64) -> UInt32 {
            1 << UInt32(truncatingIfNeeded: (hash >> shift) & 31)
        }

        func index(of bit: UInt32) -> Int {
            (self.bitmap & (bit &- 1)).nonzeroBitCount
        }

        func value(for key: Key, hash: UInt64) -> Value? {
            var node = self
            var shift: UInt64 = 0
            while true {
                let bit = Node.bit(hash, shift: shift)
                guard node.bitmap & bit != 0 else { return nil }
                switch node.slots[node.index(of: bit)] {
                case .entry(let storedKey, let value):
                    return storedKey == key ? value : nil
                case .node(let child):
                    node = child
                    shift += 5
                case .collision(let collisionHash, let entries):
                    guard collisionHash == hash else { return nil }
                    for (storedKey, value) in entries where storedKey == key {
                        return value
                    }
                    return nil
                }
            }
        }

        func inserting(_ key: Key, _ value: Value, hash: UInt64, shift: UInt64) -> (Node, inserted: Bool) {
            let bit = Node.bit(hash, shift: shift)
            let index = self.index(of: bit)
            var slots = self.slots
            guard self.bitmap & bit != 0 else {
                slots.insert(.entry(key, value), at: index)
                return (Node(bitmap: self.bitmap | bit, slots: slots), true)
            }
            let inserted: Bool
            switch slots[index] {
            case .entry(let storedKey, let storedValue):
                if storedKey == key {
                    slots[index] = .entry(key, value)
                    inserted = false
                } else {
                    slots[index] = Node.merging(
                        .entry(storedKey, storedValue),
                        hash: PersistentMap.hash(storedKey),
                        with: .entry(key, value),
                        hash: hash,
                        shift: shift + 5
                    )
                    inserted = true
                }
            case .node(let child):
                let (newChild, childInserted) = child.inserting(key, value, hash: hash, shift: shift + 5)
                slots[index] = .node(newChild)
                inserted = childInserted
            case .collision(let collisionHash, var entries):
                if collisionHash == hash {
                    if let position = entries.firstIndex(where: { $0.0 == key }) {
                        entries[position] = (key, value)
                        inserted = false
                    } else {
                        entries.append((key, value))
                        inserted = true
                    }
                    slots[index] = .collision(hash: hash, entries)
                } else {
                    slots[index] = Node.merging(
                        .collision(hash: collisionHash, entries),
                        hash: collisionHash,
                        with: .entry(key, value),
                        hash: hash,
                        shift: shift + 5
                    )
                    inserted = true
                }
            }
            return (Node(bitmap: self.bitmap, slots: slots), inserted)
        }

        /// Builds the smallest subtree holding two slots whose hashes first differ at or
        /// below `shift`.
        static func merging(_ first: Slot, hash firstHash: UInt64, with second: Slot, hash secondHash: UInt64, shift: UInt64) -> Slot {
            if firstHash == secondHash, case .entry(let k1, let v1) = first, case .entry(let k2, let v2) = second {
                return .collision(hash: firstHash, [(k1, v1), (k2, v2)])
            }
            let firstBit = Node.bit(firstHash, shift: shift)
            let secondBit = Node.bit(secondHash, shift: shift)
            if firstBit == secondBit {
                let child = merging(first, hash: firstHash, with: second, hash: secondHash, shift: shift + 5)
                return .node(Node(bitmap: firstBit, slots: [child]))
            }
            let slots = firstBit < secondBit ? [first, second] : [second, first]
            return .node(Node(bitmap: firstBit | secondBit, slots: slots))
        }

        /// Returns nil when the key is absent; otherwise the node without it (nil when that
        /// leaves the node empty) and the removed value.
        func removing(_ key: Key, hash: UInt64, shift: UInt64) -> (Node?, Value)? {
            let bit = Node.bit(hash, shift: shift)
            guard self.bitmap & bit != 0 else { return nil }
            let index = self.index(of: bit)
            switch self.slots[index] {
            case .entry(let storedKey, let value):
                guard storedKey == key else { return nil }
                return (self.withoutSlot(at: index, bit: bit), value)
            case .node(let child):
                guard let (newChild, value) = child.removing(key, hash: hash, shift: shift + 5) else {
                    return nil
                }
                var slots = self.slots
                if let newChild {
                    // A child left with one entry is pulled up so the trie stays as shallow as
                    // the same keys inserted afresh would make it.
                    if newChild.slots.count == 1, case .node = newChild.slots[0] {
                        slots[index] = .node(newChild)
                    } else if newChild.slots.count == 1 {
                        slots[index] = newChild.slots[0]
                    } else {
                        slots[index] = .node(newChild)
                    }
                    return (Node(bitmap: self.bitmap, slots: slots), value)
                }
                return (self.withoutSlot(at: index, bit: bit), value)
            case .collision(let collisionHash, var entries):
                guard collisionHash == hash, let position = entries.firstIndex(where: { $0.0 == key }) else {
                    return nil
                }
                let value = entries.remove(at: position).1
                var slots = self.slots
                slots[index] = entries.count == 1
                    ? .entry(entries[0].0, entries[0].1)
                    : .collision(hash: collisionHash, entries)
                return (Node(bitmap: self.bitmap, slots: slots), value)
            }
        }

        private func withoutSlot(at index: Int, bit: UInt32) -> Node? {
            guard self.slots.count > 1 else { return nil }
            var slots = self.slots
            slots.remove(at: index)
            return Node(bitmap: self.bitmap & ~bit, slots: slots)
        }

        func forEach(_ body: (Key, Value) throws -> Void) rethrows {
            for slot in self.slots {
                switch slot {
                case .entry(let key, let value):
                    try body(key, value)
                case .node(let child):
                    try child.forEach(body)
                case .collision(_, let entries):
                    for (key, value) in entries {
                        try body(key, value)
                    }
                }
            }
        }
    }
}
