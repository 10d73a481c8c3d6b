import AuthzProto
import Foundation
import NIOCore
import NIOHPACK
import NIOPosix
import SwiftProtobuf

extension GRPCLoad {
    /// The calls answered over CONNECTIONS connections of `LeanCallHandler`.
    static func runLean(
        host: String,
        port: Int,
        key: String,
        call: Call,
        connections: Int,
        concurrency: Int,
        until deadline: ContinuousClock.Instant
    ) async throws -> Int {
        let (path, message, size): (String, Data, Int) =
            switch call {
            case .check(let request): ("/authz.v1.AuthzService/Check", try Self.frame(request), 1)
            case .batch(let request): ("/authz.v1.AuthzService/CheckBatch", try Self.frame(request), request.checks.count)
            }
        // Not indexed: the block leaves HPACK's dynamic table alone, so the same bytes serve
        // every call.
        var headers = HPACKHeaders()
        for (name, value) in [
            (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "\(host):\(port)"),
            ("content-type", "application/grpc"), ("te", "trailers"), ("authorization", "Bearer \(key)"),
        ] {
            headers.add(name: name, value: value, indexing: .nonIndexable)
        }
        var encoder = HPACKEncoder(allocator: ByteBufferAllocator(), useHuffmanEncoding: false)
        var block = ByteBuffer()
        try encoder.encode(headers: headers, to: &block)
        let headerBlock = block
        let bytes = ByteBuffer(bytes: message)
        // One thread for every connection, as h2load -t 1: the client takes one core at most
        // and leaves the other to the server.
        let threads = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = threads.next()
        let answers = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<connections {
                group.addTask {
                    let done = loop.makePromise(of: Int.self)
                    _ = try await ClientBootstrap(group: loop)
                        .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                        .channelInitializer { channel in
                            channel.eventLoop.makeCompletedFuture {
                                try channel.pipeline.syncOperations.addHandler(
                                    LeanCallHandler(
                                        headerBlock: headerBlock,
                                        message: bytes,
                                        concurrency: concurrency,
                                        deadline: deadline,
                                        verify: { Self.verify($0, size: size) },
                                        done: done
                                    )
                                )
                            }
                        }
                        .connect(host: host, port: port).get()
                    return try await done.futureResult.get()
                }
            }
            return try await group.reduce(0, +)
        }
        try await threads.shutdownGracefully()
        return answers
    }

    /// The first answer of a connection, decoded: every check allowed.
    static func verify(_ body: ByteBuffer, size: Int) -> Bool {
        guard body.readableBytes > 5, let bytes = body.getBytes(at: body.readerIndex + 5, length: body.readableBytes - 5) else { return false }
        do {
            if size == 1 { return try Authz_V1_CheckResponse(serializedBytes: bytes).allowed }
            let answer = try Authz_V1_CheckBatchResponse(serializedBytes: bytes)
            return answer.results.count == size && answer.results.allSatisfy(\.allowed)
        } catch {
            FileHandle.standardError.write(Data("an answer that does not decode: \(error)\n".utf8))
            return false
        }
    }
}
