/// An immutable dictionary whose updates share structure with the previous version.
///
/// The snapshot is a value replaced on every change while readers keep the old one, so its
/// maps must be cheap to update without disturbing readers. Two layouts, chosen by size:
///
/// - up to `flatLimit` entries, a flat open-addressed table: one dependent load per lookup,
///   and an update copies the table (a few kilobytes) — the per-organization maps (members,
///   teams, team members) live here;
/// - beyond that, a hash array mapped trie (CHAMP) whose update copies only the path to the
///   changed entry, so the global resource table and very large organizations still update
///   in microseconds.
public struct PersistentMap<Key: TrieKey, Value: Sendable>: Sendable {
    enum Storage: Sendable {
        case flat(FlatTable)
        case trie(Trie)
    }

    /// Above this many entries the map is a trie.
    static var flatLimit: Int { 256 }

    var storage: Storage?
    public private(set) var count: Int

    public init() {
        self.storage = nil
        self.count = 0
    }

    init(storage: Storage?, count: Int) {
        self.storage = storage
        self.count = count
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
            switch self.storage {
            case .flat(let table): table.value(for: key, hash: key.trieHash)
            case .trie(let trie): trie.value(for: key, hash: key.trieHash)
            case nil: nil
            }
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
        let hash = key.trieHash
        switch self.storage {
        case nil:
            var table = FlatTable(capacity: 8)
            table.insert(key, value, hash: hash)
            self.storage = .flat(table)
            self.count = 1
        case .flat(var table):
            // Dropping the enum's reference first lets the table be updated in place when
            // nothing else shares it (a map being built), and copied when something does.
            self.storage = nil
            if table.replace(key, value, hash: hash) {
                self.storage = .flat(table)
                return
            }
            if self.count + 1 > Self.flatLimit {
                var root = Node(dataMap: 0, nodeMap: 0, entries: [], children: [])
                table.forEach { root = root.inserting($0, $1, hash: $0.trieHash, shift: 0).0 }
                self.storage = .trie(Trie(root.inserting(key, value, hash: hash, shift: 0).0))
            } else {
                if (self.count + 1) * 2 > table.capacity {
                    table = table.resized(to: table.capacity * 2)
                }
                table.insert(key, value, hash: hash)
                self.storage = .flat(table)
            }
            self.count += 1
        case .trie(let trie):
            let (node, inserted) = trie.root.inserting(key, value, hash: hash, shift: 0)
            self.storage = .trie(Trie(node))
            if inserted { self.count += 1 }
        }
    }

    /// Calls `body` with the value borrowed in place, so a class value is read without the
    /// retain (and the write to its header) that returning it would cost; the check path reads
    /// organization indexes this way.
    public func withValue<Result>(for key: Key, _ body: (Value) -> Result) -> Result? {
        switch self.storage {
        case .flat(let table): table.withValue(for: key, hash: key.trieHash, body)
        case .trie(let trie): trie.withValue(for: key, hash: key.trieHash, body)
        case nil: nil
        }
    }

    /// The first half of a lookup split in two for batches: `probe` loads where the key
    /// should be without branching on it, so a pass of probes over a batch overlaps its cache
    /// misses; `value(for:probe:)` then decides, usually from that one slot, now in cache.
    public struct Probe: Sendable {
        let home: (key: Key, value: Value)?
        let isFlat: Bool
    }

    public func probe(_ key: Key) -> Probe {
        if case .flat(let table) = self.storage {
            return Probe(home: table.homeSlot(hash: key.trieHash), isFlat: true)
        }
        return Probe(home: nil, isFlat: false)
    }

    public func value(for key: Key, probe: Probe) -> Value? {
        guard probe.isFlat else { return self[key] }
        guard let home = probe.home else { return nil }
        return home.key == key ? home.value : self[key]
    }

    /// Whether the key is present, without copying (and retaining) its value.
    public func contains(_ key: Key) -> Bool {
        self.withValue(for: key) { _ in true } ?? false
    }

    /// The values of many keys, in order: what a batch of checks needs, looked up so that
    /// the lookups overlap (see `Trie.values(for:into:)`).
    public func values(for keys: [Key]) -> [Value?] {
        var results = [Value?](repeating: nil, count: keys.count)
        switch self.storage {
        case .flat(let table):
            for (index, key) in keys.enumerated() {
                results[index] = table.value(for: key, hash: key.trieHash)
            }
        case .trie(let trie):
            trie.values(for: keys, into: &results)
        case nil:
            break
        }
        return results
    }

    @discardableResult
    public mutating func removeValue(for key: Key) -> Value? {
        let hash = key.trieHash
        switch self.storage {
        case nil:
            return nil
        case .flat(var table):
            guard table.value(for: key, hash: hash) != nil else { return nil }
            self.storage = nil
            let removed = table.remove(key, hash: hash)
            self.count -= 1
            self.storage = self.count == 0 ? nil : .flat(table)
            return removed
        case .trie(let trie):
            guard let (node, removed) = trie.root.removing(key, hash: hash, shift: 0) else { return nil }
            self.count -= 1
            self.storage = node.map { .trie(Trie($0)) }
            return removed
        }
    }

    /// Visits every entry, in no particular order.
    public func forEach(_ body: (Key, Value) throws -> Void) rethrows {
        switch self.storage {
        case .flat(let table): try table.forEach(body)
        case .trie(let trie): try trie.root.forEach(body)
        case nil: break
        }
    }

    public var keys: [Key] {
        var keys: [Key] = []
        keys.reserveCapacity(self.count)
        self.forEach { key, _ in keys.append(key) }
        return keys
    }

    /// Whether two maps share their storage, the way an untouched index of a new snapshot
    /// shares the old one's.
    func sharesStorage(with other: PersistentMap) -> Bool {
        switch (self.storage, other.storage) {
        case (.trie(let a), .trie(let b)): a.sharesRoot(with: b)
        case (.flat(let a), .flat(let b)): a.sharesSlots(with: b)
        case (nil, nil): true
        default: false
        }
    }
}
