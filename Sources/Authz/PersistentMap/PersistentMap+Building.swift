extension PersistentMap {
    /// A map of these entries built at once: what loading a whole store needs. Inserting
    /// them one by one would copy a trie path per entry, and at a million entries those
    /// copies (and their reference counting) were half of a server's start-up.
    ///
    /// The trie comes out exactly as inserting the same keys would make it (the CHAMP layout
    /// has one shape per set of keys): entries are sorted so that every subtree's keys are
    /// adjacent, then each node is made once, bottom up. Keys must be unique.
    public init(uniqueKeysWithValues elements: [(Key, Value)]) {
        guard elements.count > Self.flatLimit else {
            // A flat table no one else holds is updated in place: building one entry at a
            // time copies nothing.
            self.init(elements)
            return
        }
        var items = elements.map { BuildItem(key: $0.0, value: $0.1, hash: $0.0.trieHash) }
        items.sort { $0.order < $1.order }
        self.init(storage: .trie(Trie(Node.build(items[...], shift: 0))), count: items.count)
    }

    struct BuildItem {
        let key: Key
        let value: Value
        let hash: UInt64

        /// The hash with its 5-bit chunks in the order the trie consumes them (lowest first)
        /// from the most significant end, so sorting by it puts every subtree's keys together
        /// and each node's positions in ascending order.
        var order: UInt64 {
            var order: UInt64 = 0
            var shift: UInt64 = 0
            while shift < 64 {
                let width: UInt64 = min(5, 64 - shift)
                order = order << width | (self.hash >> shift) & ((1 << width) - 1)
                shift += 5
            }
            return order
        }
    }
}

extension PersistentMap.Node {
    /// The node for `items` (sorted by `BuildItem.order`, at least one) at the level `shift`.
    static func build(_ items: ArraySlice<PersistentMap.BuildItem>, shift: UInt64) -> PersistentMap.Node {
        let first = items[items.startIndex]
        // Insertion makes a collision node only below the root (where two equal hashes
        // meet), so building does too.
        if shift > 0, items.count > 1, items.allSatisfy({ $0.hash == first.hash }) {
            return PersistentMap.Node(collisionHash: first.hash, entries: items.map { ($0.key, $0.value) })
        }
        var dataMap: UInt32 = 0
        var nodeMap: UInt32 = 0
        var entries: [(key: Key, value: Value)] = []
        var children: [PersistentMap.Node] = []
        var start = items.startIndex
        while start < items.endIndex {
            let bit = Self.bit(items[start].hash, shift: shift)
            var end = start + 1
            while end < items.endIndex && Self.bit(items[end].hash, shift: shift) == bit { end += 1 }
            if end - start == 1 {
                dataMap |= bit
                entries.append((items[start].key, items[start].value))
            } else {
                nodeMap |= bit
                children.append(Self.build(items[start..<end], shift: shift + 5))
            }
            start = end
        }
        return PersistentMap.Node(dataMap: dataMap, nodeMap: nodeMap, entries: entries, children: children)
    }
}
