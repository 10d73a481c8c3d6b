extension PersistentMap {
    /// A trie's root, and the lookups that walk it.
    ///
    /// The root node is kept as the only element of an array so that every node, the root
    /// included, is reached through a pointer into an array's storage: walking down then
    /// copies no node, so no array reference inside one is retained. Retaining would write to
    /// the array's header — turning each cache miss into a dirty line, per level, per lookup,
    /// and on a server with many cores a line every core writes. The pointers are sound for
    /// as long as the caller keeps the trie alive: nodes are immutable and owned by their
    /// parents.
    struct Trie: Sendable {
        private let roots: [Node]

        init(_ root: Node) {
            self.roots = [root]
        }

        var root: Node { self.roots[0] }

        func sharesRoot(with other: Trie) -> Bool {
            self.roots.withUnsafeBufferPointer { a in other.roots.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
        }

        enum Step {
            case found(Int)
            case absent
            case descend(UnsafePointer<Node>)
        }

        /// One level of a lookup: the entry's position in `node`, or the subtree to go on in.
        @inline(__always)
        static func step(_ node: UnsafePointer<Node>, _ key: Key, hash: UInt64, shift: UInt64) -> Step {
            if let collisionHash = node.pointee.collisionHash {
                guard collisionHash == hash else { return .absent }
                return node.pointee.entries.withUnsafeBufferPointer { entries in
                    entries.firstIndex { $0.key == key }.map { .found($0) } ?? .absent
                }
            }
            let bit = Node.bit(hash, shift: shift)
            let dataMap = node.pointee.dataMap
            if dataMap & bit != 0 {
                let index = Node.index(dataMap, bit)
                return node.pointee.entries.withUnsafeBufferPointer { $0[index].key == key ? .found(index) : .absent }
            }
            let nodeMap = node.pointee.nodeMap
            if nodeMap & bit != 0 {
                let index = Node.index(nodeMap, bit)
                return node.pointee.children.withUnsafeBufferPointer { .descend($0.baseAddress.unsafelyUnwrapped + index) }
            }
            return .absent
        }

        /// The node holding `key` and its position there, from `node` down.
        static func locate(_ key: Key, hash: UInt64, from node: UnsafePointer<Node>) -> (UnsafePointer<Node>, Int)? {
            var current = node
            var shift: UInt64 = 0
            while true {
                switch Self.step(current, key, hash: hash, shift: shift) {
                case .found(let index): return (current, index)
                case .absent: return nil
                case .descend(let child):
                    current = child
                    shift &+= 5
                }
            }
        }

        func withValue<Result>(for key: Key, hash: UInt64, _ body: (Value) -> Result) -> Result? {
            self.roots.withUnsafeBufferPointer { roots in
                guard let (node, index) = Self.locate(key, hash: hash, from: roots.baseAddress.unsafelyUnwrapped) else { return nil }
                return node.pointee.entries.withUnsafeBufferPointer { body($0[index].value) }
            }
        }

        func value(for key: Key, hash: UInt64) -> Value? {
            self.withValue(for: key, hash: hash) { $0 }
        }

        /// Looks up every key, all of them one level per round: the keys' paths are
        /// independent, so the processor keeps many of their cache misses in flight at once
        /// instead of waiting out one key's chain of misses before starting the next.
        ///
        /// Each round is two passes, and neither branches on a line it is waiting for: the
        /// first only loads the nodes' bitmaps; the second, with those in cache, computes
        /// where the child is or copies out the entry at the key's position. Keys are compared
        /// last, once every candidate has arrived. A branch on a missing line would stall every
        /// lookup behind it whenever it was mispredicted, which for random keys is often.
        /// (Copying the entries suits plain values; a map of references would retain each.)
        func values(for keys: [Key], into results: inout [Value?]) {
            self.roots.withUnsafeBufferPointer { roots in
                // One array for every key's walk rather than one per field: a batch pays a
                // handful of allocations, not one per pass.
                var walks = keys.map { Walk(node: roots.baseAddress.unsafelyUnwrapped, hash: $0.trieHash) }
                var pending = Array(keys.indices)
                var next: [Int] = []
                next.reserveCapacity(keys.count)
                var shift: UInt64 = 0
                while !pending.isEmpty {
                    for index in pending {
                        let node = walks[index].node
                        walks[index].dataMap = node.pointee.dataMap
                        walks[index].nodeMap = node.pointee.nodeMap
                    }
                    for index in pending {
                        let walk = walks[index]
                        let bit = Node.bit(walk.hash, shift: shift)
                        if walk.dataMap & bit != 0 {
                            walks[index].candidate = walk.node.pointee.entries.withUnsafeBufferPointer { $0[Node.index(walk.dataMap, bit)] }
                        } else if walk.nodeMap & bit != 0 {
                            walks[index].node = walk.node.pointee.children.withUnsafeBufferPointer {
                                $0.baseAddress.unsafelyUnwrapped + Node.index(walk.nodeMap, bit)
                            }
                            next.append(index)
                        } else if walk.node.pointee.collisionHash != nil,
                            let (holder, position) = Self.locate(keys[index], hash: walk.hash, from: walk.node)
                        {
                            results[index] = holder.pointee.entries[position].value
                        }
                    }
                    swap(&pending, &next)
                    next.removeAll(keepingCapacity: true)
                    shift &+= 5
                }
                for index in keys.indices {
                    guard let candidate = walks[index].candidate, candidate.key == keys[index] else { continue }
                    results[index] = candidate.value
                }
            }
        }

        /// Where one key's batch lookup stands.
        struct Walk {
            var node: UnsafePointer<Node>
            let hash: UInt64
            var dataMap: UInt32 = 0
            var nodeMap: UInt32 = 0
            var candidate: (key: Key, value: Value)? = nil
        }
    }
}
