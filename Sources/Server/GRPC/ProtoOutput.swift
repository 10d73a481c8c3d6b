import Foundation
import JSON

/// Protobuf's wire format written straight from the service's own values
/// (`DecidedBatch+ProtoWire`), field by field in number order and without default values, as
/// SwiftProtobuf writes them: `ProtoWireTests` holds the two to the same bytes.
struct ProtoOutput {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        self.bytes.reserveCapacity(capacity)
    }

    mutating func removeAll() {
        self.bytes.removeAll(keepingCapacity: true)
    }

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            self.bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        self.bytes.append(UInt8(value))
    }

    mutating func key(_ field: UInt64, _ type: ProtoInput.WireType) {
        self.varint(field << 3 | UInt64(type.rawValue))
    }

    /// Proto3 leaves out false.
    mutating func bool(_ field: UInt64, _ value: Bool) {
        guard value else { return }
        self.key(field, .varint)
        self.bytes.append(1)
    }

    /// Proto3 leaves out zero.
    mutating func uint64(_ field: UInt64, _ value: UInt64) {
        guard value != 0 else { return }
        self.key(field, .varint)
        self.varint(value)
    }

    /// Proto3 leaves out an empty string, unless the field is `optional` and set (`present`).
    mutating func string(_ field: UInt64, _ text: String, present: Bool = false) {
        guard present || !text.isEmpty else { return }
        self.key(field, .lengthDelimited)
        var text = text
        text.withUTF8 { utf8 in
            self.varint(UInt64(utf8.count))
            self.bytes.append(contentsOf: utf8)
        }
    }

    /// A UUID as its 36-character text.
    mutating func uuid(_ field: UInt64, _ id: UUID) {
        self.key(field, .lengthDelimited)
        self.bytes.append(36)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { text in
            id.writeText(into: text)
            self.bytes.append(contentsOf: UnsafeBufferPointer(text))
        }
    }

    /// A message field: the other output's bytes, length first.
    mutating func message(_ field: UInt64, _ body: borrowing ProtoOutput) {
        self.key(field, .lengthDelimited)
        body.bytes.withUnsafeBytes { body in
            self.varint(UInt64(body.count))
            self.bytes.append(contentsOf: body)
        }
    }

    /// Bytes already encoded (fields written once and repeated).
    mutating func raw(_ other: borrowing ProtoOutput) {
        other.bytes.withUnsafeBytes { self.bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ bytes: some Sequence<UInt8>) {
        self.bytes.append(contentsOf: bytes)
    }
}
