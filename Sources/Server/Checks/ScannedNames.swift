import Foundation

/// The names a check-batch body has already spelled, with what they resolved to: a batch
/// repeats a handful of permission and type names, and comparing a name's bytes with the few
/// already seen is cheaper than making a string of it and looking that up. The bytes are the
/// body's own, valid while it is scanned.
struct ScannedNames<ID> {
    private var seen: [(name: UnsafeRawBufferPointer, id: ID)] = []

    /// More distinct names than this are resolved each time (a body of every name the policy
    /// has is rare, and still correct).
    private static var capacity: Int { 8 }

    mutating func id(of name: UnsafeRawBufferPointer, resolve: (String) -> ID?) -> ID? {
        for entry in self.seen
        where entry.name.count == name.count && memcmp(entry.name.baseAddress!, name.baseAddress!, name.count) == 0 {
            return entry.id
        }
        guard let id = resolve(String(decoding: name, as: UTF8.self)) else { return nil }
        if self.seen.count < Self.capacity {
            if self.seen.isEmpty { self.seen.reserveCapacity(Self.capacity) }
            self.seen.append((name, id))
        }
        return id
    }
}
