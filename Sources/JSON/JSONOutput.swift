package import Foundation

/// Writes JSON bytes directly: what the envelope and the hot payloads (check results) use
/// instead of `JSONEncoder`, whose generic machinery cost more than the check itself. The
/// output matches the encoder's settings elsewhere: keys in sorted order (callers write them
/// so), slashes not escaped, non-ASCII as UTF-8.
package struct JSONOutput {
    package private(set) var bytes: [UInt8] = []

    package init(capacity: Int = 1024) {
        self.bytes.reserveCapacity(capacity)
    }

    package mutating func raw(_ text: StaticString) {
        self.bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Another output's bytes: a part written once and repeated. Borrowed and copied from
    /// its storage: taking it owned retained and released its array at every use.
    package mutating func raw(_ other: borrowing JSONOutput) {
        other.bytes.withUnsafeBytes { self.raw($0) }
    }

    /// Part of another output's bytes (from another module, reading `bytes` retains them).
    package mutating func raw(_ other: borrowing JSONOutput, _ span: Range<Int>) {
        other.bytes.withUnsafeBytes { self.raw(UnsafeRawBufferPointer(rebasing: $0[span])) }
    }

    package mutating func raw(_ bytes: UnsafeRawBufferPointer) {
        self.bytes.append(contentsOf: bytes)
    }

    package mutating func raw(_ bytes: some Sequence<UInt8>) {
        self.bytes.append(contentsOf: bytes)
    }

    package mutating func string(_ text: String) {
        self.bytes.append(UInt8(ascii: "\""))
        // Most strings (ids, names, codes) need no escaping: checked and copied from the
        // string's own storage in one pass.
        let copied = text.utf8.withContiguousStorageIfAvailable { buffer -> Bool in
            for byte in buffer where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                return false
            }
            self.bytes.append(contentsOf: buffer)
            return true
        }
        if copied == true {
            self.bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): self.raw("\\\"")
            case UInt8(ascii: "\\"): self.raw("\\\\")
            case 0x0A: self.raw("\\n")
            case 0x0D: self.raw("\\r")
            case 0x09: self.raw("\\t")
            case 0x08: self.raw("\\b")
            case 0x0C: self.raw("\\f")
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                self.raw("\\u00")
                self.bytes.append(hex[Int(byte >> 4)])
                self.bytes.append(hex[Int(byte & 0xF)])
            default: self.bytes.append(byte)
            }
        }
        self.bytes.append(UInt8(ascii: "\""))
    }

    /// `"0190c0de-…"`, written straight from the id's bytes.
    package mutating func uuid(_ id: UUID) {
        // Written on the stack, quotes included, then appended at once.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 38) { text in
            text[0] = UInt8(ascii: "\"")
            id.writeText(into: UnsafeMutableBufferPointer(rebasing: text[1..<37]))
            text[37] = UInt8(ascii: "\"")
            self.bytes.append(contentsOf: UnsafeBufferPointer(text))
        }
    }

    package mutating func uuid(_ id: UUID?) {
        if let id { self.uuid(id) } else { self.raw("null") }
    }

    /// `,"key":"0190c0de-…"` (or `null`).
    package mutating func field(_ key: StaticString, uuid value: UUID?, first: Bool = false) {
        if !first { self.comma() }
        self.key(key)
        self.uuid(value)
    }

    package mutating func string(_ text: String?) {
        if let text { self.string(text) } else { self.raw("null") }
    }

    package mutating func bool(_ value: Bool) {
        self.raw(value ? "true" : "false")
    }

    package mutating func integer(_ value: Int) {
        self.raw(String(value).utf8)
    }

    package mutating func value(_ value: JSONValue) {
        switch value {
        case .null: self.raw("null")
        case .bool(let flag): self.bool(flag)
        case .number(let number):
            if number == number.rounded(), abs(number) < 1e15 { self.integer(Int(number)) } else { self.raw(String(number).utf8) }
        case .string(let text): self.string(text)
        case .array(let items):
            self.bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { self.bytes.append(UInt8(ascii: ",")) }
                self.value(item)
            }
            self.bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            self.bytes.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { self.bytes.append(UInt8(ascii: ",")) }
                self.string(key)
                self.bytes.append(UInt8(ascii: ":"))
                self.value(members[key]!)
            }
            self.bytes.append(UInt8(ascii: "}"))
        }
    }

    /// `"key":` — callers write an object's keys in sorted order.
    package mutating func key(_ key: StaticString) {
        self.bytes.append(UInt8(ascii: "\""))
        self.raw(key)
        self.raw("\":")
    }

    /// `,"key":"value"` (no comma for the first member of an object).
    package mutating func field(_ key: StaticString, _ value: String?, first: Bool = false) {
        if !first { self.comma() }
        self.key(key)
        self.string(value)
    }

    /// `,"key":` and whatever `write` writes.
    package mutating func field(_ key: StaticString, first: Bool = false, _ write: (inout JSONOutput) throws -> Void) rethrows {
        if !first { self.comma() }
        self.key(key)
        try write(&self)
    }

    package mutating func comma() {
        self.bytes.append(UInt8(ascii: ","))
    }

    package mutating func open() {
        self.bytes.append(UInt8(ascii: "{"))
    }

    package mutating func close() {
        self.bytes.append(UInt8(ascii: "}"))
    }

    package mutating func list<Item>(_ items: [Item], _ write: (inout JSONOutput, Item) -> Void) {
        self.bytes.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { self.comma() }
            write(&self, item)
        }
        self.bytes.append(UInt8(ascii: "]"))
    }
}
