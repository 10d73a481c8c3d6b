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

    /// The name that, followed by its closing quote, starts at `index`, and its length:
    /// compared where it stands, so a repeated name is not scanned as a string again. (A
    /// remembered name holds no quote, so the quote after it ends the string.)
    func known(in bytes: UnsafeRawBufferPointer, at index: Int) -> (ID, Int)? {
        for entry in self.seen {
            let end = index + entry.name.count
            if end < bytes.count, bytes[end] == UInt8(ascii: "\""),
                memcmp(bytes.baseAddress! + index, entry.name.baseAddress!, entry.name.count) == 0
            {
                return (entry.id, entry.name.count)
            }
        }
        return nil
    }

    /// A name given with its length (protobuf's), if already seen.
    private func known(_ name: UnsafeRawBufferPointer) -> ID? {
        for entry in self.seen where entry.name.count == name.count {
            if name.isEmpty || memcmp(name.baseAddress!, entry.name.baseAddress!, name.count) == 0 { return entry.id }
        }
        return nil
    }

    /// A name given with its length: the id of one already seen, else resolved (and
    /// remembered while there is room).
    mutating func id(of name: UnsafeRawBufferPointer, _ resolve: (String) -> ID?) -> ID? {
        self.known(name) ?? self.resolve(name, resolve)
    }

    /// Resolves a name not yet known, and remembers it while there is room.
    mutating func resolve(_ name: UnsafeRawBufferPointer, _ resolve: (String) -> ID?) -> ID? {
        guard let id = resolve(String(decoding: name, as: UTF8.self)) else { return nil }
        if self.seen.count < Self.capacity {
            if self.seen.isEmpty { self.seen.reserveCapacity(Self.capacity) }
            self.seen.append((name, id))
        }
        return id
    }
}
