package import Foundation

/// UUIDs as the API writes them (lower case) and reads them (either case), by arithmetic rather
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
        precondition(buffer.count >= 36)
        // Four bytes become eight digits at once (`hexText`); the middle groups of four
        // digits are the halves of two such words. A digit at a time, with a branch per
        // digit, was a visible share of writing a batch's answer.
        let raw = UnsafeMutableRawBufferPointer(buffer)
        withUnsafeBytes(of: self.uuid) { bytes in
            func word(_ offset: Int) -> UInt64 {
                Self.hexText(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            }
            func store(_ text: UInt64, at offset: Int) {
                raw.storeBytes(of: text.littleEndian, toByteOffset: offset, as: UInt64.self)
            }
            func store(halvesOf text: UInt64, at first: Int, _ second: Int) {
                raw.storeBytes(of: UInt32(truncatingIfNeeded: text).littleEndian, toByteOffset: first, as: UInt32.self)
                raw.storeBytes(of: UInt32(truncatingIfNeeded: text >> 32).littleEndian, toByteOffset: second, as: UInt32.self)
            }
            store(word(0), at: 0)
            store(halvesOf: word(4), at: 9, 14)
            store(halvesOf: word(8), at: 19, 24)
            store(word(12), at: 28)
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
        // Eight digits at a time (a character per byte of a word): the 32 digits are four
        // words, the middle groups of four loaded in pairs. A digit at a time, with a branch
        // per character, was a visible share of reading a batch.
        func word(_ offset: Int) -> UInt64 {
            UInt64(littleEndian: text.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        func half(_ offset: Int) -> UInt64 {
            UInt64(UInt32(littleEndian: text.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
        guard let first = Self.hexWord(word(0)),
            let second = Self.hexWord(half(9) | half(14) << 32),
            let third = Self.hexWord(half(19) | half(24) << 32),
            let fourth = Self.hexWord(word(28))
        else { return nil }
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &value) { bytes in
            bytes.storeBytes(of: first.littleEndian, toByteOffset: 0, as: UInt32.self)
            bytes.storeBytes(of: second.littleEndian, toByteOffset: 4, as: UInt32.self)
            bytes.storeBytes(of: third.littleEndian, toByteOffset: 8, as: UInt32.self)
            bytes.storeBytes(of: fourth.littleEndian, toByteOffset: 12, as: UInt32.self)
        }
        self.init(uuid: value)
    }

    /// The four bytes eight hex digits spell (the first digit in the lowest byte of `word`,
    /// the first byte in the lowest of the result), or nil if any is not a hex digit.
    /// Each byte lane is tested and converted at once; no lane carries into the next,
    /// since every step first rules out bytes of 0x80 and above.
    private static func hexWord(_ word: UInt64) -> UInt32? {
        let highs: UInt64 = 0x8080_8080_8080_8080
        let ones: UInt64 = 0x0101_0101_0101_0101
        guard word & highs == 0 else { return nil }
        /// Lanes whose byte lies in `low...high` (both below 0x80) get their high bit set.
        func within(_ value: UInt64, _ low: UInt8, _ high: UInt8) -> UInt64 {
            (value &+ ones &* UInt64(0x80 - low)) & ~(value &+ ones &* UInt64(0x7F - high)) & highs
        }
        let lower = word | 0x2020_2020_2020_2020
        let digit = within(word, UInt8(ascii: "0"), UInt8(ascii: "9"))
        let letter = within(lower, UInt8(ascii: "a"), UInt8(ascii: "f"))
        guard digit | letter == highs else { return nil }
        // A digit's value is its low nibble; a letter's is its low nibble plus nine.
        let nibbles = (word & 0x0F0F_0F0F_0F0F_0F0F) &+ (letter >> 7) &* 9
        // Each pair of lanes (first digit low) becomes one byte, then the four bytes close up.
        let pairs = (nibbles & 0x000F_000F_000F_000F) << 4 | (nibbles >> 8) & 0x000F_000F_000F_000F
        let packed = pairs | pairs >> 8
        return UInt32(truncatingIfNeeded: packed & 0xFFFF | (packed >> 16) & 0xFFFF_0000)
    }

    /// The eight lower-case hex digits of four bytes (the first byte's high digit in the
    /// lowest byte of the result): each byte spread into a lane of its own, then every
    /// digit made a character at once, `a` to `f` where a digit is ten or more.
    private static func hexText(_ bytes: UInt32) -> UInt64 {
        var lanes = UInt64(bytes)
        lanes = (lanes | lanes << 16) & 0x0000_FFFF_0000_FFFF
        lanes = (lanes | lanes << 8) & 0x00FF_00FF_00FF_00FF
        let digits = (lanes >> 4) & 0x000F_000F_000F_000F | (lanes & 0x000F_000F_000F_000F) << 8
        // A lane of ten or more carries into its 0x10 bit when six is added.
        let letters = ((digits &+ 0x0606_0606_0606_0606) & 0x1010_1010_1010_1010) >> 4
        return digits &+ 0x3030_3030_3030_3030 &+ letters &* (UInt64(UInt8(ascii: "a")) - 10 - 0x30)
    }
}
