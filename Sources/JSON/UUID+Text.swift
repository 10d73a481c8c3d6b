package import Foundation

/// UUIDs as the API writes them (lower case) and reads them (either case), by table rather
/// than through Foundation, which formats with `snprintf` and parses with `sscanf`: a check
/// answer holds half a dozen ids, and those calls were a visible share of serving it.
extension UUID {
    /// `0190c0de-89ab-7cde-8f01-23456789abcd`.
    package var text: String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            self.writeText(into: buffer)
            return 36
        }
    }

    /// Writes the 36 characters of `text` into `buffer` (at least 36 long): how JSON output
    /// writes an id without making a string of it first.
    package func writeText(into buffer: UnsafeMutableBufferPointer<UInt8>) {
        // Unrolled, each position known: the loop with its dash tests was a visible share of
        // writing a batch's answer.
        let id = self.uuid
        func put(_ byte: UInt8, at index: Int) {
            buffer[index] = Self.hexDigit(byte >> 4)
            buffer[index + 1] = Self.hexDigit(byte & 0x0F)
        }
        put(id.0, at: 0)
        put(id.1, at: 2)
        put(id.2, at: 4)
        put(id.3, at: 6)
        buffer[8] = UInt8(ascii: "-")
        put(id.4, at: 9)
        put(id.5, at: 11)
        buffer[13] = UInt8(ascii: "-")
        put(id.6, at: 14)
        put(id.7, at: 16)
        buffer[18] = UInt8(ascii: "-")
        put(id.8, at: 19)
        put(id.9, at: 21)
        buffer[23] = UInt8(ascii: "-")
        put(id.10, at: 24)
        put(id.11, at: 26)
        put(id.12, at: 28)
        put(id.13, at: 30)
        put(id.14, at: 32)
        put(id.15, at: 34)
    }

    /// The 36-character form, in either case; nil for anything else.
    package init?(text: some StringProtocol) {
        var text = String(text)
        guard let id = text.withUTF8({ UUID(utf8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = id
    }

    /// The 36-character form read from bytes, in either case, with no allocation: how the
    /// check-batch scanner reads ids straight out of a body.
    package init?(utf8 text: UnsafeRawBufferPointer) {
        guard text.count == 36, text[8] == UInt8(ascii: "-"), text[13] == UInt8(ascii: "-"), text[18] == UInt8(ascii: "-"),
            text[23] == UInt8(ascii: "-")
        else { return nil }
        // Unrolled like `writeText`; a character that is not a hex digit sets a bit no digit
        // has, checked once at the end.
        var invalid: UInt8 = 0
        func byte(at index: Int) -> UInt8 {
            let high = Self.nibble(text[index])
            let low = Self.nibble(text[index + 1])
            invalid |= high | low
            return high << 4 | low
        }
        let id: uuid_t = (
            byte(at: 0), byte(at: 2), byte(at: 4), byte(at: 6), byte(at: 9), byte(at: 11), byte(at: 14), byte(at: 16),
            byte(at: 19), byte(at: 21), byte(at: 24), byte(at: 26), byte(at: 28), byte(at: 30), byte(at: 32), byte(at: 34)
        )
        guard invalid & 0x10 == 0 else { return nil }
        self.init(uuid: id)
    }

    /// By arithmetic, not a table: a static table costs a `swift_once` check per use, and
    /// an answer of a thousand results writes thousands of ids.
    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") - 10 + value
    }

    /// A hex digit's value, or 0x10 for anything else.
    private static func nibble(_ character: UInt8) -> UInt8 {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: 0x10
        }
    }
}
