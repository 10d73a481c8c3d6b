public import GRPCCore
internal import NIOCore

/// A message's bytes, kept in a `ByteBuffer` with room for gRPC's five-byte length prefix in
/// front of them: a message read from a frame is a slice of it, and a message written is
/// framed in place. Neither direction copies the message.
public struct GRPCBytes: GRPCContiguousBytes, Sendable {
    /// The compressed flag and the length, before every message on the wire.
    static let prefixLength = 5

    /// The message: its readable bytes.
    var buffer: ByteBuffer

    init(buffer: ByteBuffer) {
        self.buffer = buffer
    }

    public init(repeating byte: UInt8, count: Int) {
        var buffer = Self.allocate(count)
        buffer.writeRepeatingByte(byte, count: count)
        self.buffer = buffer
    }

    public init<Bytes: Sequence>(_ sequence: Bytes) where Bytes.Element == UInt8 {
        var buffer = Self.allocate(sequence.underestimatedCount)
        buffer.writeBytes(sequence)
        self.buffer = buffer
    }

    public var count: Int { self.buffer.readableBytes }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try self.buffer.withUnsafeReadableBytes(body)
    }

    public mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try self.buffer.withUnsafeMutableReadableBytes(body)
    }

    /// The message with its prefix (uncompressed, its length), in the room left for it when
    /// there is room (always, for a message this type allocated).
    func framed() -> ByteBuffer {
        var buffer = self.buffer
        let length = UInt32(truncatingIfNeeded: buffer.readableBytes)
        if buffer.readerIndex >= Self.prefixLength {
            let start = buffer.readerIndex - Self.prefixLength
            buffer.moveReaderIndex(to: start)
            buffer.setInteger(UInt8(0), at: start)
            buffer.setInteger(length, at: start + 1)
            return buffer
        }
        var framed = ByteBufferAllocator().buffer(capacity: Self.prefixLength + buffer.readableBytes)
        framed.writeInteger(UInt8(0))
        framed.writeInteger(length)
        framed.writeImmutableBuffer(buffer)
        return framed
    }

    private static func allocate(_ count: Int) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: Self.prefixLength + count)
        buffer.moveWriterIndex(forwardBy: Self.prefixLength)
        buffer.moveReaderIndex(forwardBy: Self.prefixLength)
        return buffer
    }
}
