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
        var index = 0
        withUnsafeBytes(of: self.uuid) { raw in
            for (position, byte) in raw.enumerated() {
                if position == 4 || position == 6 || position == 8 || position == 10 {
                    buffer[index] = UInt8(ascii: "-")
                    index += 1
                }
                buffer[index] = Self.hexDigit(byte >> 4)
                buffer[index + 1] = Self.hexDigit(byte & 0x0F)
                index += 2
            }
        }
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
        guard text.count == 36 else { return nil }
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &value) { bytes -> Bool in
            var position = 0
            for index in 0..<16 {
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    guard text[position] == UInt8(ascii: "-") else { return false }
                    position += 1
                }
                guard let high = Self.nibble(text[position]), let low = Self.nibble(text[position + 1]) else { return false }
                bytes[index] = high << 4 | low
                position += 2
            }
            return true
        }
        guard parsed else { return nil }
        self.init(uuid: value)
    }

    /// By arithmetic, not a table: a static table costs a `swift_once` check per use, and
    /// an answer of a thousand results writes thousands of ids.
    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") - 10 + value
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
