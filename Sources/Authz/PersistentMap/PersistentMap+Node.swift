extension PersistentMap {
    /// One level of the trie, in the CHAMP layout: positions (five bits of the hash) holding
    /// an entry are marked in `dataMap`, positions holding a subtree in `nodeMap`, and the two
    /// are packed into separate arrays. Entries are plain key/value pairs, so reading one
    /// costs no reference counting when keys and values are trivial types (UUIDs, role ids,
    /// resource records).
    ///
    /// A node is a value stored inline in its parent's `children`: its bitmaps and the
    /// references to its arrays sit in the cache line the parent's lookup already points at,
    /// so going down a level costs one dependent miss, not two (a node object's header, then
    /// its array). Lookups walk nodes through pointers into those arrays (see `Trie`), which
    /// copies nothing and retains nothing.
    ///
    /// Keys whose full 64-bit hashes are equal can never be told apart by going deeper; they
    /// share a collision node (`collisionHash` set, entries compared one by one).
    ///
    /// Nodes are never mutated once built, which is what lets versions share them across
    /// threads.
    struct Node: Sendable {
        let dataMap: UInt32
        let nodeMap: UInt32
        let entries: [(key: Key, value: Value)]
        let children: [Node]
        let collisionHash: UInt64?

        init(dataMap: UInt32, nodeMap: UInt32, entries: [(key: Key, value: Value)], children: [Node]) {
            self.dataMap = dataMap
            self.nodeMap = nodeMap
            self.entries = entries
            self.children = children
            self.collisionHash = nil
        }

        init(collisionHash: UInt64, entries: [(key: Key, value: Value)]) {
            self.dataMap = 0
            self.nodeMap = 0
            self.entries = entries
            self.children = []
            self.collisionHash = collisionHash
        }

        static func bit(_ hash: UInt64, shift: UInt64) -> UInt32 {
            1 &<< UInt32(truncatingIfNeeded: (hash &>> shift) & 31)
        }

        static func index(_ map: UInt32, _ bit: UInt32) -> Int {
            (map & (bit &- 1)).nonzeroBitCount
        }

        /// A node holding one entry and no subtree, which its parent can hold inline instead.
        var singleEntry: (key: Key, value: Value)? {
            self.entries.count == 1 && self.children.isEmpty ? self.entries[0] : nil
        }

        // MARK: Insertion

        func inserting(_ key: Key, _ value: Value, hash: UInt64, shift: UInt64) -> (Node, inserted: Bool) {
            if let collisionHash = self.collisionHash {
                guard collisionHash == hash else {
                    return (Node.merging(collision: self, hash: collisionHash, with: (key, value), hash: hash, shift: shift), true)
                }
                var entries = self.entries
                if let position = entries.firstIndex(where: { $0.key == key }) {
                    entries[position].value = value
                    return (Node(collisionHash: hash, entries: entries), false)
                }
                entries.append((key, value))
                return (Node(collisionHash: hash, entries: entries), true)
            }
            let bit = Node.bit(hash, shift: shift)
            if self.dataMap & bit != 0 {
                let index = Node.index(self.dataMap, bit)
                let existing = self.entries[index]
                var entries = self.entries
                if existing.key == key {
                    entries[index].value = value
                    return (Node(dataMap: self.dataMap, nodeMap: self.nodeMap, entries: entries, children: self.children), false)
                }
                // Two keys at one position: they move down into a new subtree together.
                entries.remove(at: index)
                let child = Node.merging(existing, hash: existing.key.trieHash, with: (key, value), hash: hash, shift: shift &+ 5)
                var children = self.children
                children.insert(child, at: Node.index(self.nodeMap, bit))
                return (Node(dataMap: self.dataMap & ~bit, nodeMap: self.nodeMap | bit, entries: entries, children: children), true)
            }
            if self.nodeMap & bit != 0 {
                let index = Node.index(self.nodeMap, bit)
                let (child, inserted) = self.children[index].inserting(key, value, hash: hash, shift: shift &+ 5)
                var children = self.children
                children[index] = child
                return (Node(dataMap: self.dataMap, nodeMap: self.nodeMap, entries: self.entries, children: children), inserted)
            }
            var entries = self.entries
            entries.insert((key, value), at: Node.index(self.dataMap, bit))
            return (Node(dataMap: self.dataMap | bit, nodeMap: self.nodeMap, entries: entries, children: self.children), true)
        }

        /// The smallest subtree holding two entries whose hashes first differ at or below `shift`.
        static func merging(
            _ first: (key: Key, value: Value),
            hash firstHash: UInt64,
            with second: (key: Key, value: Value),
            hash secondHash: UInt64,
            shift: UInt64
        ) -> Node {
            if firstHash == secondHash {
                return Node(collisionHash: firstHash, entries: [first, second])
            }
            let firstBit = Node.bit(firstHash, shift: shift)
            let secondBit = Node.bit(secondHash, shift: shift)
            if firstBit == secondBit {
                let child = Node.merging(first, hash: firstHash, with: second, hash: secondHash, shift: shift &+ 5)
                return Node(dataMap: 0, nodeMap: firstBit, entries: [], children: [child])
            }
            let entries = firstBit < secondBit ? [first, second] : [second, first]
            return Node(dataMap: firstBit | secondBit, nodeMap: 0, entries: entries, children: [])
        }

        /// A collision node and an entry with another hash, placed from `shift` down.
        static func merging(collision: Node, hash collisionHash: UInt64, with entry: (key: Key, value: Value), hash: UInt64, shift: UInt64) -> Node {
            let collisionBit = Node.bit(collisionHash, shift: shift)
            let entryBit = Node.bit(hash, shift: shift)
            if collisionBit == entryBit {
                let child = Node.merging(collision: collision, hash: collisionHash, with: entry, hash: hash, shift: shift &+ 5)
                return Node(dataMap: 0, nodeMap: collisionBit, entries: [], children: [child])
            }
            return Node(dataMap: entryBit, nodeMap: collisionBit, entries: [entry], children: [collision])
        }

        // MARK: Removal

        /// Nil when the key is absent; otherwise the node without it (nil when that leaves it
        /// empty) and the removed value.
        func removing(_ key: Key, hash: UInt64, shift: UInt64) -> (Node?, Value)? {
            if let collisionHash = self.collisionHash {
                guard collisionHash == hash, let position = self.entries.firstIndex(where: { $0.key == key }) else {
                    return nil
                }
                var entries = self.entries
                let removed = entries.remove(at: position)
                return (entries.isEmpty ? nil : Node(collisionHash: collisionHash, entries: entries), removed.value)
            }
            let bit = Node.bit(hash, shift: shift)
            if self.dataMap & bit != 0 {
                let index = Node.index(self.dataMap, bit)
                guard self.entries[index].key == key else { return nil }
                var entries = self.entries
                let removed = entries.remove(at: index)
                if entries.isEmpty && self.children.isEmpty { return (nil, removed.value) }
                return (Node(dataMap: self.dataMap & ~bit, nodeMap: self.nodeMap, entries: entries, children: self.children), removed.value)
            }
            guard self.nodeMap & bit != 0 else { return nil }
            let index = Node.index(self.nodeMap, bit)
            guard let (newChild, value) = self.children[index].removing(key, hash: hash, shift: shift &+ 5) else { return nil }
            var children = self.children
            if let newChild, let single = newChild.singleEntry {
                // A subtree left with one entry is pulled up, so the trie stays as shallow as
                // the same keys inserted afresh would make it.
                children.remove(at: index)
                var entries = self.entries
                entries.insert(single, at: Node.index(self.dataMap, bit))
                return (Node(dataMap: self.dataMap | bit, nodeMap: self.nodeMap & ~bit, entries: entries, children: children), value)
            }
            if let newChild {
                children[index] = newChild
                return (Node(dataMap: self.dataMap, nodeMap: self.nodeMap, entries: self.entries, children: children), value)
            }
            children.remove(at: index)
            if children.isEmpty && self.entries.isEmpty { return (nil, value) }
            return (Node(dataMap: self.dataMap, nodeMap: self.nodeMap & ~bit, entries: self.entries, children: children), value)
        }

        // MARK: Iteration

        func forEach(_ body: (Key, Value) throws -> Void) rethrows {
            for entry in self.entries {
                try body(entry.key, entry.value)
            }
            for child in self.children {
                try child.forEach(body)
            }
        }
    }
}
