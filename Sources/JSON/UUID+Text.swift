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
        // Each byte's place is known without a loop-carried index or dash tests (the loop
        // that had them was a visible share of writing a batch's answer); the compiler
        // unrolls the sixteen steps.
        withUnsafeBytes(of: self.uuid) { bytes in
            for index in 0..<16 {
                let place = Self.textOffset(ofByte: index)
                buffer[place] = Self.hexDigit(bytes[index] >> 4)
                buffer[place + 1] = Self.hexDigit(bytes[index] & 0x0F)
            }
        }
        (buffer[8], buffer[13], buffer[18], buffer[23]) = (UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: "-"))
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
        let dash = UInt8(ascii: "-")
        guard text.count == 36, text[8] == dash, text[13] == dash, text[18] == dash, text[23] == dash else { return nil }
        // Placed as `writeText` places them; a character that is not a hex digit sets a bit
        // no digit has, checked once at the end.
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var invalid: UInt8 = 0
        withUnsafeMutableBytes(of: &value) { bytes in
            for index in 0..<16 {
                let place = Self.textOffset(ofByte: index)
                let high = Self.nibble(text[place])
                let low = Self.nibble(text[place + 1])
                invalid |= high | low
                bytes[index] = high << 4 | low
            }
        }
        guard invalid & 0x10 == 0 else { return nil }
        self.init(uuid: value)
    }

    /// Where the text of byte `index` (0 to 15) starts: two characters a byte, and a dash
    /// before bytes 4, 6, 8 and 10.
    private static func textOffset(ofByte index: Int) -> Int {
        2 * index + (index >= 4 ? 1 : 0) + (index >= 6 ? 1 : 0) + (index >= 8 ? 1 : 0) + (index >= 10 ? 1 : 0)
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
