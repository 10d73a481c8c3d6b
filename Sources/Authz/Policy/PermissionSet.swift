/// A set of interned permissions as a bitset: role closures, a type's applicable permissions
/// and an API key's scopes are all of this shape, so narrowing is one AND per word.
public struct PermissionSet: Hashable, Sendable {
    var words: [UInt64]

    public init() {
        self.words = []
    }

    public init(_ permissions: some Sequence<PermissionID>) {
        self.init()
        for permission in permissions {
            self.insert(permission)
        }
    }

    public func contains(_ permission: PermissionID) -> Bool {
        let word = Int(permission.rawValue >> 6)
        return word < self.words.count && self.words[word] & (1 << UInt64(permission.rawValue & 63)) != 0
    }

    public mutating func insert(_ permission: PermissionID) {
        let word = Int(permission.rawValue >> 6)
        if word >= self.words.count {
            self.words.append(contentsOf: repeatElement(0, count: word - self.words.count + 1))
        }
        self.words[word] |= 1 << UInt64(permission.rawValue & 63)
    }

    public func union(_ other: PermissionSet) -> PermissionSet {
        var result = self.words.count >= other.words.count ? self : other
        let shorter = self.words.count >= other.words.count ? other : self
        for (index, word) in shorter.words.enumerated() {
            result.words[index] |= word
        }
        return result
    }

    public func intersection(_ other: PermissionSet) -> PermissionSet {
        var result = PermissionSet()
        result.words = zip(self.words, other.words).map { $0 & $1 }
        return result
    }

    public var isEmpty: Bool { self.words.allSatisfy { $0 == 0 } }

    /// The members in ascending order.
    public var members: [PermissionID] {
        var members: [PermissionID] = []
        for (index, word) in self.words.enumerated() {
            var remaining = word
            while remaining != 0 {
                let bit = remaining.trailingZeroBitCount
                members.append(PermissionID(index * 64 + bit))
                remaining &= remaining - 1
            }
        }
        return members
    }

    public static func == (lhs: PermissionSet, rhs: PermissionSet) -> Bool {
        let count = max(lhs.words.count, rhs.words.count)
        for index in 0..<count {
            let left = index < lhs.words.count ? lhs.words[index] : 0
            let right = index < rhs.words.count ? rhs.words[index] : 0
            if left != right { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        var last = self.words.count
        while last > 0 && self.words[last - 1] == 0 { last -= 1 }
        for index in 0..<last { hasher.combine(self.words[index]) }
    }
}
