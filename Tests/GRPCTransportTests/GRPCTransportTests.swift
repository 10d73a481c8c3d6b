import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCTransport
import Logging
import NIOCore
import NIOHPACK
import Testing

/// Serves `EchoService` on a free port with `configure`'s limits, then shuts down gracefully.
func withEchoServer(
    _ configure: (inout GRPCTransportConfiguration) -> Void = { _ in },
    _ body: (_ port: Int, _ probe: Probe, _ server: GRPCServer<GRPCHTTP2Transport>) async throws -> Void
) async throws {
    var configuration = GRPCTransportConfiguration(port: 0)
    configure(&configuration)
    let probe = Probe()
    let transport = GRPCHTTP2Transport(configuration: configuration, logger: Logger(label: "grpc-transport-tests"))
    let server = GRPCServer(transport: transport, services: [EchoService(probe: probe)])
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.serve() }
        let port = try await transport.listeningPort
        defer {
            probe.update { $0.released = true }
            server.beginGracefulShutdown()
        }
        try await body(port, probe, server)
    }
}

func withEchoClient<Result: Sendable>(port: Int, _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result) async throws -> Result {
    try await withGRPCClient(
        transport: try .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext),
        handleClient: body
    )
}

@Suite(.timeLimit(.minutes(1))) struct GRPCTransportTests {
    /// Many calls at once over one connection, more than it may open at a time: each gets its
    /// own message back, its string metadata as initial and its binary metadata as trailing.
    @Test func callsAreAnsweredWithTheirMetadata() async throws {
        try await withEchoServer { port, _, _ in
            try await withEchoClient(port: port) { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<300 {
                        group.addTask {
                            let message = (0..<(index * 67 % 20_000)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
                            var metadata: Metadata = ["x-tag": "call \(index) ü%"]
                            metadata.addBinary([0, 255, UInt8(index % 256)], forKey: "x-blob-bin")
                            let (echoed, initial, trailing) = try await client.unary(
                                request: ClientRequest(message: message, metadata: metadata),
                                descriptor: EchoService.unary,
                                serializer: RawBytes(),
                                deserializer: RawBytes(),
                                options: .defaults
                            ) { response throws -> ([UInt8], Metadata, Metadata) in
                                (try response.message, response.metadata, response.trailingMetadata)
                            }
                            #expect(echoed == message)
                            #expect(Array(initial[stringValues: "x-tag"]) == ["call \(index) ü%"])
                            #expect(Array(trailing[binaryValues: "x-blob-bin"]) == [[0, 255, UInt8(index % 256)]])
                        }
                    }
                    try await group.waitForAll()
                }
            }
        }
    }

    /// A message four times a stream's window and fourteen times HTTP/2's first connection
    /// window arrives whole: credit is given back as it is read.
    @Test func aMessageLargerThanTheWindowsArrivesWhole() async throws {
        try await withEchoServer { port, _, _ in
            try await withEchoClient(port: port) { client in
                let message = (0..<900_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
                let echoed = try await client.unary(
                    request: ClientRequest(message: message),
                    descriptor: EchoService.unary,
                    serializer: RawBytes(),
                    deserializer: RawBytes(),
                    options: .defaults
                ) { try $0.message }
                #expect(echoed == message)
            }
        }
    }

    /// A message over the limit is refused from its length prefix, before its bytes are read;
    /// the rest of the request is not waited for.
    @Test func aMessageOverTheLimitIsRefusedFromItsPrefix() async throws {
        try await withEchoServer { port, _, _ in
            let client = try await RawHTTP2Client.connect(port: port)
            defer { client.close() }
            try await client.startCall(stream: 1, path: "/test.Echo/Unary")
            try await client.sendMessage(stream: 1, length: 2 << 20, bytes: [1, 2, 3], endStream: false)
            let blocks = try await client.responseHeaders(on: 1)
            #expect(blocks.count == 1)
            #expect(blocks.first?.first(name: "grpc-status") == "8")
            #expect(blocks.first?.first(name: "grpc-message") == "the request message is 2097152 bytes, more than the 1048576 this server accepts")
            let reset = try await client.await(type: RawHTTP2Client.Frame.rstStream, on: 1)
            #expect(reset.payload.getInteger(at: reset.payload.readerIndex, as: UInt32.self) == 0)
        }
    }

    /// What is not a gRPC call this server takes is answered, not served, and the connection
    /// goes on serving.
    @Test func refusesWhatItDoesNotSpeak() async throws {
        try await withEchoServer { port, _, _ in
            let client = try await RawHTTP2Client.connect(port: port)
            defer { client.close() }
            func status(_ stream: UInt32) async throws -> (String?, String?) {
                let last = try await client.responseHeaders(on: stream).last
                return (last?.first(name: "grpc-status") ?? last?.first(name: ":status"), last?.first(name: "grpc-message"))
            }
            try await client.startCall(stream: 1, path: "/test.Echo/Unary", extra: [("content-type", "application/json")], endStream: true)
            #expect(try await status(1).0 == "415")

            try await client.startCall(stream: 3, path: "/test.Echo/Unary", extra: [("grpc-encoding", "gzip")])
            let blocks = try await client.responseHeaders(on: 3)
            #expect(blocks.last?.first(name: "grpc-status") == "12")
            #expect(blocks.last?.first(name: "grpc-accept-encoding") == "identity")

            try await client.startCall(stream: 5, path: "/test.Echo/Unary")
            try await client.sendMessage(stream: 5, flag: 1, bytes: [1, 2, 3])
            #expect(try await status(5) == ("13", "a message is marked compressed, but the call named no grpc-encoding"))

            try await client.startCall(stream: 7, path: "/test.Echo/Unary")
            try await client.sendMessage(stream: 7, length: 10, bytes: [1, 2, 3])
            #expect(try await status(7) == ("13", "the client ended the call in the middle of a message"))

            try await client.startCall(stream: 9, path: "/test.Echo/Nope")
            try await client.sendMessage(stream: 9, bytes: [1])
            #expect(try await status(9).0 == "12")

            try await client.startCall(stream: 11, path: "/test.Echo/Unary")
            try await client.sendMessage(stream: 11, bytes: [7, 8, 9])
            let data = try await client.await(type: RawHTTP2Client.Frame.data, on: 11)
            #expect(Array(data.payload.readableBytesView) == [0, 0, 0, 0, 3, 7, 8, 9])
            #expect(try await status(11).0 == "0")
        }
    }

    /// The connection's call limit is announced in SETTINGS and held. A client that opens more
    /// streams anyway breaks the limit it was told, and swift-nio-http2 treats that as a
    /// connection error (GOAWAY PROTOCOL_ERROR, stricter than the stream error RFC 9113 also
    /// allows): the calls it had under way are cancelled, and the server goes on serving others.
    @Test func callsBeyondTheConnectionsLimitAreRefused() async throws {
        try await withEchoServer(
            { $0.maxConcurrentStreams = 2 },
            { port, probe, _ in
                let client = try await RawHTTP2Client.connect(port: port)
                defer { client.close() }
                let settings = try await client.next()
                #expect(settings.type == RawHTTP2Client.Frame.settings)
                var payload = settings.payload
                var announced: [UInt16: UInt32] = [:]
                while let id = payload.readInteger(as: UInt16.self), let value = payload.readInteger(as: UInt32.self) { announced[id] = value }
                #expect(announced[3] == 2)  // SETTINGS_MAX_CONCURRENT_STREAMS

                for stream: UInt32 in [1, 3] {
                    try await client.startCall(stream: stream, path: "/test.Echo/Slow")
                    try await client.sendMessage(stream: stream, bytes: [])
                }
                #expect(try await probe.eventually { $0.running == 2 })
                try await client.startCall(stream: 5, path: "/test.Echo/Slow")
                let goAway = try await client.await(type: RawHTTP2Client.Frame.goAway, on: 0)
                let code = goAway.payload.getInteger(at: goAway.payload.readerIndex + 4, as: UInt32.self)
                #expect(code == 1)  // PROTOCOL_ERROR
                #expect(try await probe.eventually { $0.running == 0 && $0.cancelled == 2 })
                #expect(probe.now.mostRunning == 2)

                let other = try await RawHTTP2Client.connect(port: port)
                defer { other.close() }
                try await other.startCall(stream: 1, path: "/test.Echo/Unary")
                try await other.sendMessage(stream: 1, bytes: [1, 2, 3])
                #expect(try await other.responseHeaders(on: 1).last?.first(name: "grpc-status") == "0")
            }
        )
    }

    /// A call ends for the server when its client resets it, or when its deadline passes:
    /// either way the handler is cancelled and its place is free.
    @Test func resetsAndDeadlinesCancelTheCall() async throws {
        try await withEchoServer { port, probe, _ in
            let client = try await RawHTTP2Client.connect(port: port)
            defer { client.close() }
            try await client.startCall(stream: 1, path: "/test.Echo/Slow")
            try await client.sendMessage(stream: 1, bytes: [])
            #expect(try await probe.eventually { $0.running == 1 })
            var cancel = ByteBuffer()
            cancel.writeInteger(UInt32(8))  // CANCEL
            try await client.send(type: RawHTTP2Client.Frame.rstStream, stream: 1, payload: cancel)
            #expect(try await probe.eventually { $0.cancelled == 1 && $0.running == 0 })

            try await client.startCall(stream: 3, path: "/test.Echo/Slow", extra: [("grpc-timeout", "200m")])
            try await client.sendMessage(stream: 3, bytes: [])
            #expect(try await client.responseHeaders(on: 3).last?.first(name: "grpc-status") == "1")
            #expect(probe.now.cancelled == 2 && probe.now.running == 0)
        }
    }

    /// A streaming call writes no faster than its client takes: with a client that gives no
    /// flow-control credit, the server's writes wait once about a window's worth and the
    /// per-stream allowance are unsent; credit lets them go on to the end.
    @Test func aStreamingCallWaitsForItsClient() async throws {
        try await withEchoServer { port, probe, _ in
            let client = try await RawHTTP2Client.connect(port: port)
            defer { client.close() }
            try await client.startCall(stream: 1, path: "/test.Echo/Many")
            try await client.sendMessage(stream: 1, bytes: [0x07, 0xD0, 0x00, 0x20, 0x00])  // 2,000 messages of 8 KiB
            #expect(try await probe.eventually { $0.written > 0 })
            try await Task.sleep(for: .milliseconds(500))
            let written = probe.now.written
            #expect(written < 50, "\(written) messages written to a client that took 64 KiB")

            var credit = ByteBuffer()
            credit.writeInteger(UInt32(64 << 20))
            try await client.send(type: RawHTTP2Client.Frame.windowUpdate, stream: 0, payload: credit)
            try await client.send(type: RawHTTP2Client.Frame.windowUpdate, stream: 1, payload: credit)
            #expect(try await client.responseHeaders(on: 1).last?.first(name: "grpc-status") == "0")
            #expect(probe.now.written == 2_000)
        }
    }

    /// On shutdown the listener stops taking connections and a call under way finishes; then
    /// the server returns.
    @Test func shutdownLetsCallsUnderWayFinish() async throws {
        try await withEchoServer { port, probe, server in
            try await withEchoClient(port: port) { client in
                async let answer = client.unary(
                    request: ClientRequest(message: [1]),
                    descriptor: EchoService.slow,
                    serializer: RawBytes(),
                    deserializer: RawBytes(),
                    options: .defaults
                ) { try $0.message }
                #expect(try await probe.eventually { $0.running == 1 })
                server.beginGracefulShutdown()
                try await Task.sleep(for: .milliseconds(200))
                #expect(probe.now.running == 1 && probe.now.cancelled == 0)
                await #expect(throws: (any Error).self) { try await RawHTTP2Client.connect(port: port) }
                probe.update { $0.released = true }
                #expect(try await answer == [])
            }
        }
    }
}
