internal import GRPCCore
internal import NIOCore

/// Cuts a stream's DATA into gRPC messages. A message inside one frame is a slice of that
/// frame's buffer; only a message split across frames is gathered into a buffer of its own.
struct GRPCMessageDeframer {
    let maxMessageBytes: Int
    private var pending: ByteBuffer?

    init(maxMessageBytes: Int) {
        self.maxMessageBytes = maxMessageBytes
    }

    /// Bytes of a message begun and not yet complete.
    var hasPartialMessage: Bool { (self.pending?.readableBytes ?? 0) > 0 }

    mutating func append(_ data: ByteBuffer) {
        if var pending = self.pending, pending.readableBytes > 0 {
            self.pending = nil  // so the write below does not copy it
            pending.writeImmutableBuffer(data)
            self.pending = pending
        } else {
            self.pending = data
        }
    }

    /// The next whole message, or nil until more bytes arrive. A compressed message (this
    /// server accepts no `grpc-encoding` but identity) or one over the limit is refused: the
    /// stream reads nothing more.
    mutating func next() throws(RPCError) -> ByteBuffer? {
        guard var buffer = self.pending, buffer.readableBytes >= GRPCBytes.prefixLength,
            let flag = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
            let length = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt32.self)
        else { return nil }
        guard flag == 0 else {
            throw RPCError(
                code: .internalError,
                message: flag == 1
                    ? "a message is marked compressed, but the call named no grpc-encoding"
                    : "a message's compressed flag is \(flag); it must be 0 or 1"
            )
        }
        guard Int(length) <= self.maxMessageBytes else {
            throw RPCError(
                code: .resourceExhausted,
                message: "the request message is \(length) bytes, more than the \(self.maxMessageBytes) this server accepts"
            )
        }
        guard buffer.readableBytes >= GRPCBytes.prefixLength + Int(length) else { return nil }
        self.pending = nil
        buffer.moveReaderIndex(forwardBy: GRPCBytes.prefixLength)
        let message = buffer.readSlice(length: Int(length))
        self.pending = buffer.readableBytes > 0 ? buffer : nil
        return message
    }
}
