package import Foundation

/// A strict JSON parser (RFC 8259) from bytes straight to `JSONValue`: several times faster
/// than going through `JSONDecoder` and `Decodable`, and bounded in depth, so a body of
/// nested brackets cannot exhaust the stack.
package struct JSONParser {
    package struct Failure: Error {
        /// Set when the document is well formed but names a key twice in one object: where,
        /// from the root (`checks[1].role`). Last-one-wins would let a body say two things.
        package var duplicateKey: String?
    }

    /// Levels of nesting: 64 arrays or objects inside each other, no more.
    package static let maximumDepth = 64

    private let bytes: [UInt8]
    private var index = 0

    package static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw Failure() }
        return value
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard depth < Self.maximumDepth, self.index < self.bytes.count else { throw Failure() }
        switch self.bytes[self.index] {
        case UInt8(ascii: "{"): return try self.object(depth: depth)
        case UInt8(ascii: "["): return try self.array(depth: depth)
        case UInt8(ascii: "\""): return .string(try self.string())
        case UInt8(ascii: "t"):
            try self.literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try self.literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try self.literal("null")
            return .null
        default: return .number(try self.number())
        }
    }

    private mutating func object(depth: Int) throws(Failure) -> JSONValue {
        self.index += 1
        self.skipWhitespace()
        if self.peek == UInt8(ascii: "}") {
            self.index += 1
            return .object([:])
        }
        // Room for a request's usual handful of fields at once: growing from empty took two
        // or three reallocations (and rehashes) per object.
        var members = [String: JSONValue](minimumCapacity: 6)
        while true {
            self.skipWhitespace()
            guard self.peek == UInt8(ascii: "\"") else { throw Failure() }
            let key = try self.string()
            self.skipWhitespace()
            try self.expect(UInt8(ascii: ":"))
            self.skipWhitespace()
            let value: JSONValue
            do {
                value = try self.value(depth: depth + 1)
            } catch {
                throw Failure(duplicateKey: error.duplicateKey.map { $0.hasPrefix("[") ? key + $0 : key + "." + $0 })
            }
            guard members.updateValue(value, forKey: key) == nil else { throw Failure(duplicateKey: key) }
            self.skipWhitespace()
            if self.peek == UInt8(ascii: ",") {
                self.index += 1
                continue
            }
            try self.expect(UInt8(ascii: "}"))
            return .object(members)
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> JSONValue {
        self.index += 1
        var items: [JSONValue] = []
        self.skipWhitespace()
        if self.peek == UInt8(ascii: "]") {
            self.index += 1
            return .array(items)
        }
        while true {
            self.skipWhitespace()
            do {
                items.append(try self.value(depth: depth + 1))
            } catch {
                let position = "[\(items.count)]"
                throw Failure(duplicateKey: error.duplicateKey.map { $0.hasPrefix("[") ? position + $0 : position + "." + $0 })
            }
            self.skipWhitespace()
            if self.peek == UInt8(ascii: ",") {
                self.index += 1
                continue
            }
            try self.expect(UInt8(ascii: "]"))
            return .array(items)
        }
    }

    private mutating func string() throws(Failure) -> String {
        self.index += 1
        var scalars: [UInt8] = []
        let start = self.index
        var bits: UInt8 = 0
        // The common case, no escapes: one slice. ASCII needs no validation, and decoding
        // skips the generic validating initializer (a metadata lookup per string).
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                let slice = self.bytes[start..<self.index]
                self.index += 1
                if bits < 0x80 { return String(decoding: slice, as: UTF8.self) }
                guard let text = String(validating: slice, as: UTF8.self) else { throw Failure() }
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw Failure() }
            bits |= byte
            self.index += 1
        }
        scalars.append(contentsOf: self.bytes[start..<self.index])
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            self.index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: scalars, as: UTF8.self) else { throw Failure() }
                return text
            case UInt8(ascii: "\\"):
                guard self.index < self.bytes.count else { throw Failure() }
                let escape = self.bytes[self.index]
                self.index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try self.hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard self.peek == UInt8(ascii: "\\"), self.index + 1 < self.bytes.count, self.bytes[self.index + 1] == UInt8(ascii: "u")
                        else { throw Failure() }
                        self.index += 2
                        let low = try self.hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw Failure() }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw Failure() }
                    scalars.append(contentsOf: UTF8.encode(scalar)!)
                default:
                    throw Failure()
                }
            default:
                guard byte >= 0x20 else { throw Failure() }
                scalars.append(byte)
            }
        }
        throw Failure()
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard self.index + 4 <= self.bytes.count else { throw Failure() }
        var value: UInt32 = 0
        for byte in self.bytes[self.index..<self.index + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Failure()
            }
            value = value << 4 | UInt32(digit)
        }
        self.index += 4
        return value
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, checked, then read as a Double.
    private mutating func number() throws(Failure) -> Double {
        let start = self.index
        if self.peek == UInt8(ascii: "-") { self.index += 1 }
        if self.peek == UInt8(ascii: "0") {
            self.index += 1
        } else {
            guard self.digits() > 0 else { throw Failure() }
        }
        if self.peek == UInt8(ascii: ".") {
            self.index += 1
            guard self.digits() > 0 else { throw Failure() }
        }
        if self.peek == UInt8(ascii: "e") || self.peek == UInt8(ascii: "E") {
            self.index += 1
            if self.peek == UInt8(ascii: "+") || self.peek == UInt8(ascii: "-") { self.index += 1 }
            guard self.digits() > 0 else { throw Failure() }
        }
        guard let text = String(validating: self.bytes[start..<self.index], as: UTF8.self), let number = Double(text), number.isFinite else {
            throw Failure()
        }
        return number
    }

    private mutating func digits() -> Int {
        let start = self.index
        while let byte = self.peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { self.index += 1 }
        return self.index - start
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard self.index + count <= self.bytes.count else { throw Failure() }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        guard self.bytes[self.index..<self.index + count].elementsEqual(expected) else { throw Failure() }
        self.index += count
    }

    private mutating func expect(_ byte: UInt8) throws(Failure) {
        guard self.peek == byte else { throw Failure() }
        self.index += 1
    }

    private mutating func skipWhitespace() {
        while let byte = self.peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { self.index += 1 }
    }

    private var peek: UInt8? {
        self.index < self.bytes.count ? self.bytes[self.index] : nil
    }
}
