internal import GRPCCore
internal import NIOCore
internal import NIOHPACK
internal import NIOHTTP2

/// One call on a connection, as the connection's event loop sees it; only touched there.
final class GRPCServerStream {
    enum Response {
        case notStarted
        case started
        /// Trailers sent, or the stream closed under the call.
        case ended
    }

    let id: HTTP2StreamID
    let inbound: GRPCInboundBuffer
    /// Strong: the connection drops its streams when they close, which ends the cycle.
    let connection: GRPCConnectionHandler
    private var deframer: GRPCMessageDeframer
    private(set) var response = Response.notStarted
    private(set) var clientEnded = false
    /// A message was refused (too large, compressed): nothing more of it is read.
    private var refusedInput = false
    private var cancellation: ServerContext.RPCCancellationHandle?
    private var closed = false

    /// Bytes received and not yet credited back to the client's stream window.
    private var uncredited = 0
    /// Credit is held back until the call's task has read what it has.
    private var creditHeld = false

    /// Messages after the first carry a promise: what they leave unsent paces the writer.
    private var messagesWritten = 0
    private var unsentBytes = 0
    private var writeWaiter: CheckedContinuation<Void, any Error>?

    init(id: HTTP2StreamID, connection: GRPCConnectionHandler, inbound: GRPCInboundBuffer, maxMessageBytes: Int) {
        self.id = id
        self.connection = connection
        self.inbound = inbound
        self.deframer = GRPCMessageDeframer(maxMessageBytes: maxMessageBytes)
    }

    // MARK: Reading

    /// A DATA frame's bytes, `flowControlled` of them counted against the windows.
    func receive(_ data: ByteBuffer, endStream: Bool, flowControlled: Int) {
        if !self.refusedInput {
            self.deframer.append(data)
            do {
                while let message = try self.deframer.next() {
                    self.inbound.append(.message(GRPCBytes(buffer: message)))
                }
            } catch {
                self.refusedInput = true
                self.inbound.finish(error)
            }
        }
        if endStream {
            self.endOfInput()
        } else {
            self.credit(flowControlled)
        }
    }

    /// The client ended its side: with HEADERS (trailers) or a DATA frame's END_STREAM.
    func endOfInput() {
        guard !self.clientEnded else { return }
        self.clientEnded = true
        guard !self.refusedInput else { return }
        if self.deframer.hasPartialMessage {
            self.inbound.finish(RPCError(code: .internalError, message: "the client ended the call in the middle of a message"))
        } else {
            self.inbound.finish()
        }
    }

    private func credit(_ bytes: Int) {
        self.uncredited += bytes
        let window = self.connection.configuration.streamWindowBytes
        guard !self.creditHeld, self.uncredited >= window / 2 else { return }
        // A refused call reads nothing more: its client is credited so it can finish sending.
        if !self.refusedInput, self.inbound.signalWhenDrained(below: window) {
            self.creditHeld = true
            return
        }
        self.giveCredit()
    }

    /// The call's task has read what it held: the client may send again.
    func drained() {
        guard self.creditHeld else { return }
        self.creditHeld = false
        self.giveCredit()
        self.connection.scheduleFlush()
    }

    private func giveCredit() {
        guard self.uncredited > 0, !self.clientEnded, !self.closed else { return }
        self.connection.write(HTTP2Frame(streamID: self.id, payload: .windowUpdate(windowSizeIncrement: self.uncredited)))
        self.uncredited = 0
    }

    // MARK: Writing

    /// Writes one part of the answer. False when a streaming call has written more than the
    /// client has taken: it waits (`waitUntilWritable`) before writing again.
    func write(_ part: RPCResponsePart<GRPCBytes>) throws(RPCError) -> Bool {
        guard self.response != .ended else { throw Self.gone }
        defer { self.connection.scheduleFlush() }
        switch part {
        case .metadata(let metadata):
            self.startResponse(.grpcResponse(metadata: metadata))
        case .message(let bytes):
            if self.response == .notStarted { self.startResponse(.grpcResponse(metadata: [:])) }
            let frame = HTTP2Frame(streamID: self.id, payload: .data(.init(data: .byteBuffer(bytes.framed()))))
            self.messagesWritten += 1
            guard self.messagesWritten > 1 else {
                self.connection.write(frame)
                return true
            }
            let size = bytes.count + GRPCBytes.prefixLength
            self.unsentBytes += size
            let promise = self.connection.eventLoop.makePromise(of: Void.self)
            promise.futureResult.assumeIsolated().whenComplete { _ in self.sent(size) }
            self.connection.write(frame, promise: promise)
            return self.unsentBytes <= self.connection.configuration.maxUnsentBytesPerStream
        case .status(let status, let metadata):
            let trailers = HPACKHeaders.grpcTrailers(status: status, metadata: metadata, trailersOnly: self.response == .notStarted)
            self.response = .ended
            self.connection.write(HTTP2Frame(streamID: self.id, payload: .headers(.init(headers: trailers, endStream: true))))
            if !self.clientEnded {
                // The answer is complete; the client need not send the rest of its request.
                self.connection.write(HTTP2Frame(streamID: self.id, payload: .rstStream(.noError)))
            }
        }
        return true
    }

    /// Resumes `waiter` once the client has taken half of what is unsent, or the call ended.
    func waitUntilWritable(_ waiter: CheckedContinuation<Void, any Error>) {
        if self.closed {
            waiter.resume(throwing: Self.gone)
        } else if self.unsentBytes <= self.connection.configuration.maxUnsentBytesPerStream / 2 {
            waiter.resume()
        } else {
            self.writeWaiter = waiter
        }
    }

    private func startResponse(_ headers: HPACKHeaders) {
        if self.response == .notStarted {
            self.connection.write(HTTP2Frame(streamID: self.id, payload: .headers(.init(headers: headers))))
            self.response = .started
        }
    }

    private func sent(_ size: Int) {
        self.unsentBytes -= size
        if self.unsentBytes <= self.connection.configuration.maxUnsentBytesPerStream / 2, let waiter = self.writeWaiter {
            self.writeWaiter = nil
            waiter.resume()
        }
    }

    /// The call's task ended without trailers (it threw past GRPCCore): the stream is reset.
    func abandon() {
        guard self.response != .ended else { return }
        self.response = .ended
        self.connection.write(HTTP2Frame(streamID: self.id, payload: .rstStream(.internalError)))
        self.connection.scheduleFlush()
    }

    // MARK: The call's lifetime

    func attach(_ handle: ServerContext.RPCCancellationHandle) {
        self.cancellation = handle
        if self.closed { handle.cancel() }
    }

    /// HTTP/2 closed the stream (both sides ended, or a reset), or the connection went away.
    /// A call still answering is cancelled; its writes fail from now on.
    func close() {
        guard !self.closed else { return }
        self.closed = true
        let unfinished = self.response != .ended
        self.response = .ended
        self.inbound.finish(Self.gone)
        if let waiter = self.writeWaiter {
            self.writeWaiter = nil
            waiter.resume(throwing: Self.gone)
        }
        if unfinished { self.cancellation?.cancel() }
    }

    static let gone = RPCError(code: .cancelled, message: "the call ended: the client cancelled it or went away")
}
