/// An immutable dictionary (a hash array mapped trie) whose updates copy only the path from the
/// root to the changed entry and share everything else with the previous version.
///
/// The snapshot is a value that is replaced on every change while readers keep using the old
/// one; with a plain `Dictionary` every change would copy the whole table, which is what the
/// ≤ 50 µs budget for applying a change rules out once an organization or the global resource
/// table holds hundreds of thousands of entries.
public struct PersistentMap<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    var root: Node?
    public private(set) var count: Int

    public init() {
        self.root = nil
        self.count = 0
    }

    public init(_ elements: some Sequence<(Key, Value)>) {
        self.init()
        for (key, value) in elements {
            self[key] = value
        }
    }

    public var isEmpty: Bool { self.count == 0 }

    public subscript(key: Key) -> Value? {
        get {
            guard let root else { return nil }
            return root.value(for: key, hash: Self.hash(key))
        }
        set {
            if let newValue {
                self.setValue(newValue, for: key)
            } else {
                self.removeValue(for: key)
            }
        }
    }

    public mutating func setValue(_ value: Value, for key: Key) {
        let hash = Self.hash(key)
        guard let root else {
            self.root = Node(bitmap: Node.bit(hash, shift: 0), slots: [.entry(key, value)])
            self.count = 1
            return
        }
        let (node, inserted) = root.inserting(key, value, hash: hash, shift: 0)
        self.root = node
        if inserted { self.count += 1 }
    }

    @discardableResult
    public mutating func removeValue(for key: Key) -> Value? {
        guard let root else { return nil }
        guard let (node, removed) = root.removing(key, hash: Self.hash(key), shift: 0) else {
            return nil
        }
        self.root = node
        self.count -= 1
        return removed
    }

    /// Visits every entry, in no particular order.
    public func forEach(_ body: (Key, Value) throws -> Void) rethrows {
        try self.root?.forEach(body)
    }

    public var keys: [Key] {
        var keys: [Key] = []
        keys.reserveCapacity(self.count)
        self.forEach { key, _ in keys.append(key) }
        return keys
    }

    static func hash(_ key: Key) -> UInt64 {
        UInt64(bitPattern: Int64(key.hashValue))
    }
}
