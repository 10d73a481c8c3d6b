import Foundation
import NIOCore
import NIOHPACK

/// One HTTP/2 connection of `authz-grpc-load --lean`, written and read as bytes: each call is
/// a prepared HEADERS frame (its header block encoded once, without touching HPACK's dynamic
/// table, so the same bytes serve every call) and its DATA frames, with only the stream id
/// changed; answers are read frame by frame, their header blocks through an HPACK decoder.
/// CONCURRENCY calls are in flight, each answered one replaced by a new one until the deadline.
/// It costs the shared cores about what h2load does, so the figures are the server's.
///
/// Every answer is checked: its trailers carry `grpc-status: 0` and it has the length of the
/// first one, which is decoded and checked in full (`verify`). The client keeps to the
/// server's connection window (a call waits for credit), answers SETTINGS and PING, gives
/// connection credit back as answers arrive and opens each stream's window wide in SETTINGS.
/// It does not speak the rest of HTTP/2 (CONTINUATION, padding, priorities): meeting one ends
/// the run with an error, never a wrong figure.
final class LeanCallHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    struct WrongAnswer: Error, CustomStringConvertible {
        let description: String
    }

    private enum FrameType {
        static let data: UInt8 = 0
        static let headers: UInt8 = 1
        static let rstStream: UInt8 = 3
        static let settings: UInt8 = 4
        static let ping: UInt8 = 6
        static let goAway: UInt8 = 7
        static let windowUpdate: UInt8 = 8
    }

    private enum Flag {
        static let endStream: UInt8 = 0x1
        static let ack: UInt8 = 0x1
        static let endHeaders: UInt8 = 0x4
        static let padded: UInt8 = 0x8
        static let priority: UInt8 = 0x20
    }

    /// A call's frames, with the offsets of their stream ids.
    private let call: ByteBuffer
    private let streamIDOffsets: [Int]
    private let messageBytes: Int
    private let concurrency: Int
    private let deadline: ContinuousClock.Instant
    private let verify: (ByteBuffer) -> Bool
    private let done: EventLoopPromise<Int>

    private var inbound = ByteBuffer()
    private var decoder = HPACKDecoder(allocator: ByteBufferAllocator())
    /// What the server lets this connection send, as HTTP/2 starts it.
    private var sendWindow = 65_535
    private var nextStream: UInt32 = 1
    private var toStart = 0
    private var inFlight = 0
    private var answered = 0
    /// Each answer's bytes so far; only the first answer's are kept, to be decoded.
    private var received: [UInt32: Int] = [:]
    private var first: (stream: UInt32, bytes: ByteBuffer)?
    private var expectedBytes: Int?
    private var uncredited = 0
    private var finished = false

    init(
        headerBlock: ByteBuffer,
        message: ByteBuffer,
        concurrency: Int,
        deadline: ContinuousClock.Instant,
        verify: @escaping (ByteBuffer) -> Bool,
        done: EventLoopPromise<Int>
    ) {
        var call = ByteBuffer()
        var offsets: [Int] = []
        offsets.append(Self.writeFrame(type: FrameType.headers, flags: Flag.endHeaders, payload: headerBlock, to: &call))
        // DATA frames of at most 16 KiB, HTTP/2's default largest frame.
        var rest = message
        repeat {
            let chunk = rest.readSlice(length: min(rest.readableBytes, 16_384))!
            offsets.append(Self.writeFrame(type: FrameType.data, flags: rest.readableBytes == 0 ? Flag.endStream : 0, payload: chunk, to: &call))
        } while rest.readableBytes > 0
        self.call = call
        self.streamIDOffsets = offsets
        self.messageBytes = message.readableBytes
        self.concurrency = concurrency
        self.deadline = deadline
        self.verify = verify
        self.done = done
    }

    /// Writes a frame for stream 0 and returns where its stream id is.
    @discardableResult
    private static func writeFrame(type: UInt8, flags: UInt8, stream: UInt32 = 0, payload: ByteBuffer, to buffer: inout ByteBuffer) -> Int {
        buffer.writeInteger(UInt8(truncatingIfNeeded: payload.readableBytes >> 16))
        buffer.writeInteger(UInt16(truncatingIfNeeded: payload.readableBytes))
        buffer.writeInteger(type)
        buffer.writeInteger(flags)
        let offset = buffer.writerIndex
        buffer.writeInteger(stream)
        buffer.writeImmutableBuffer(payload)
        return offset
    }

    func channelActive(context: ChannelHandlerContext) {
        var out = ByteBuffer(string: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        var settings = ByteBuffer()
        settings.writeInteger(UInt16(0x2))  // ENABLE_PUSH
        settings.writeInteger(UInt32(0))
        settings.writeInteger(UInt16(0x4))  // INITIAL_WINDOW_SIZE
        settings.writeInteger(UInt32(1 << 30))
        Self.writeFrame(type: FrameType.settings, flags: 0, payload: settings, to: &out)
        Self.writeFrame(type: FrameType.windowUpdate, flags: 0, payload: Self.increment(1 << 30), to: &out)
        context.write(self.wrapOutboundOut(out), promise: nil)
        self.toStart = self.concurrency
        self.startCalls(context: context)
        context.flush()
        context.fireChannelActive()
    }

    private static func increment(_ bytes: Int) -> ByteBuffer {
        var payload = ByteBuffer()
        payload.writeInteger(UInt32(bytes))
        return payload
    }

    /// Starts the calls waiting to, as far as the server's connection window allows.
    private func startCalls(context: ChannelHandlerContext) {
        while self.toStart > 0 && self.sendWindow >= self.messageBytes {
            var call = self.call
            for offset in self.streamIDOffsets { call.setInteger(self.nextStream, at: offset) }
            self.nextStream += 2
            self.sendWindow -= self.messageBytes
            self.toStart -= 1
            self.inFlight += 1
            context.write(self.wrapOutboundOut(call), promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = self.unwrapInboundIn(data)
        self.inbound.writeBuffer(&bytes)
        while !self.finished, self.inbound.readableBytes >= 9 {
            let start = self.inbound.readerIndex
            let length = Int(self.inbound.getInteger(at: start, as: UInt16.self)!) << 8 | Int(self.inbound.getInteger(at: start + 2, as: UInt8.self)!)
            guard self.inbound.readableBytes >= 9 + length else { break }
            let type = self.inbound.getInteger(at: start + 3, as: UInt8.self)!
            let flags = self.inbound.getInteger(at: start + 4, as: UInt8.self)!
            let stream = self.inbound.getInteger(at: start + 5, as: UInt32.self)! & 0x7FFF_FFFF
            self.inbound.moveReaderIndex(forwardBy: 9)
            let payload = self.inbound.readSlice(length: length)!
            self.frame(type: type, flags: flags, stream: stream, payload: payload, context: context)
        }
        self.inbound.discardReadBytes()
        self.startCalls(context: context)
    }

    private func frame(type: UInt8, flags: UInt8, stream: UInt32, payload: ByteBuffer, context: ChannelHandlerContext) {
        switch type {
        case FrameType.data:
            guard flags & Flag.padded == 0 else { return self.fail("a padded DATA frame", context: context) }
            self.uncredited += payload.readableBytes
            self.received[stream, default: 0] += payload.readableBytes
            if self.expectedBytes == nil {
                if self.first == nil { self.first = (stream, ByteBuffer()) }
                if self.first?.stream == stream { self.first?.bytes.writeImmutableBuffer(payload) }
            }
        case FrameType.headers:
            guard flags & Flag.endHeaders != 0, flags & (Flag.padded | Flag.priority) == 0 else {
                return self.fail("a HEADERS frame with CONTINUATION, padding or a priority", context: context)
            }
            var block = payload
            let headers: HPACKHeaders
            do {
                headers = try self.decoder.decodeHeaders(from: &block)
            } catch {
                return self.fail("a header block that does not decode: \(error)", context: context)
            }
            if flags & Flag.endStream != 0 {
                self.answer(stream, status: headers.first(name: "grpc-status"), message: headers.first(name: "grpc-message"), context: context)
            }
        case FrameType.rstStream:
            self.fail("stream \(stream) reset", context: context)
        case FrameType.settings where flags & Flag.ack == 0:
            var out = ByteBuffer()
            Self.writeFrame(type: FrameType.settings, flags: Flag.ack, payload: ByteBuffer(), to: &out)
            context.write(self.wrapOutboundOut(out), promise: nil)
        case FrameType.ping where flags & Flag.ack == 0:
            var out = ByteBuffer()
            Self.writeFrame(type: FrameType.ping, flags: Flag.ack, payload: payload, to: &out)
            context.write(self.wrapOutboundOut(out), promise: nil)
        case FrameType.goAway:
            self.fail("GOAWAY", context: context)
        case FrameType.windowUpdate where stream == 0:
            self.sendWindow += Int(payload.getInteger(at: payload.readerIndex, as: UInt32.self) ?? 0)
        default:
            break
        }
    }

    private func answer(_ stream: UInt32, status: String?, message: String?, context: ChannelHandlerContext) {
        self.inFlight -= 1
        let length = self.received.removeValue(forKey: stream) ?? 0
        guard status == "0" else { return self.fail("grpc-status \(status ?? "none"): \(message ?? "")", context: context) }
        if let expected = self.expectedBytes {
            guard length == expected else { return self.fail("an answer of \(length) bytes, not \(expected)", context: context) }
        } else if let first = self.first, first.stream == stream {
            guard self.verify(first.bytes) else { return self.fail("a wrong answer", context: context) }
            self.expectedBytes = length
        } else {
            return self.fail("an answer without a message", context: context)
        }
        self.answered += 1
        if ContinuousClock.now < self.deadline {
            self.toStart += 1
        } else if self.inFlight == 0 {
            self.finished = true
            self.done.succeed(self.answered)
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if self.uncredited >= 1 << 20 {
            var out = ByteBuffer()
            Self.writeFrame(type: FrameType.windowUpdate, flags: 0, payload: Self.increment(self.uncredited), to: &out)
            self.uncredited = 0
            context.write(self.wrapOutboundOut(out), promise: nil)
        }
        context.flush()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.fail("\(error)", context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.fail("the connection closed", context: context)
        context.fireChannelInactive()
    }

    private func fail(_ reason: String, context: ChannelHandlerContext) {
        guard !self.finished else { return }
        self.finished = true
        self.done.fail(WrongAnswer(description: reason))
        context.close(promise: nil)
    }
}
