/// Protobuf's wire format read in place, for the one message read without SwiftProtobuf
/// (`CheckBatchProtoScanner`): a batch of a thousand checks decoded into messages and then
/// read again cost more than deciding them. Every read checks its bounds and answers nil on
/// malformed input; the caller then hands the bytes to SwiftProtobuf, whose errors are the
/// ones the client sees.
struct ProtoInput {
    /// The two wire types the messages read here use; a field of another is declined.
    enum WireType: UInt8 {
        case varint = 0
        case lengthDelimited = 2
    }

    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { self.index >= self.bytes.count }

    /// At most ten bytes, the last holding at most the top bit.
    mutating func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while self.index < self.bytes.count, shift < 64 {
            let byte = self.bytes[self.index]
            self.index += 1
            if shift == 63 && byte > 1 { return nil }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }

    /// The next field's number and wire type (groups, long deprecated, are not read).
    mutating func field() -> (number: UInt64, type: WireType)? {
        guard let key = self.varint(), key >> 3 > 0, let type = WireType(rawValue: UInt8(key & 7)) else { return nil }
        return (key >> 3, type)
    }

    /// A length-delimited field's bytes, which stay the message's own.
    mutating func lengthDelimited() -> UnsafeRawBufferPointer? {
        guard let length = self.varint(), length <= UInt64(self.bytes.count - self.index) else { return nil }
        let start = self.index
        self.index += Int(length)
        return UnsafeRawBufferPointer(rebasing: self.bytes[start..<self.index])
    }
}
