package import Foundation

/// UUIDs as the API writes them (lower case) and reads them (either case), by table rather
/// than through Foundation, which formats with `snprintf` and parses with `sscanf`: a check
/// answer holds half a dozen ids, and those calls were a visible share of serving it.
extension UUID {
    private static let hexDigits = Array("0123456789abcdef".utf8)

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
                buffer[index] = Self.hexDigits[Int(byte >> 4)]
                buffer[index + 1] = Self.hexDigits[Int(byte & 0x0F)]
                index += 2
            }
        }
    }

    /// The 36-character form, in either case; nil for anything else.
    package init?(text: some StringProtocol) {
        var bytes = [UInt8](repeating: 0, count: 16)
        var count = 0
        var high: UInt8?
        var position = 0
        for character in text.utf8 {
            defer { position += 1 }
            if position == 8 || position == 13 || position == 18 || position == 23 {
                guard character == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            guard count < 16 else { return nil }
            if let first = high {
                bytes[count] = first << 4 | value
                count += 1
                high = nil
            } else {
                high = value
            }
        }
        guard position == 36, count == 16 else { return nil }
        self.init(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11],
                bytes[12], bytes[13], bytes[14], bytes[15]
            )
        )
    }
}
