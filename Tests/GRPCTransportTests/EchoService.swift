import GRPCCore

/// The tests' service, `test.Echo`: Unary echoes its message (and its `x-` metadata, the
/// initial as initial, the `-bin` as trailing); Slow runs until released or cancelled; Many
/// answers a request of (count, size) with count messages of size bytes.
struct EchoService: RegistrableRPCService {
    static let unary = MethodDescriptor(fullyQualifiedService: "test.Echo", method: "Unary")
    static let slow = MethodDescriptor(fullyQualifiedService: "test.Echo", method: "Slow")
    static let many = MethodDescriptor(fullyQualifiedService: "test.Echo", method: "Many")

    let probe: Probe

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(forMethod: Self.unary, deserializer: RawBytes(), serializer: RawBytes()) { request, _ in
            let single = try await ServerRequest(stream: request)
            var initial = Metadata()
            var trailing = Metadata()
            for (key, value) in single.metadata where key.hasPrefix("x-") {
                switch value {
                case .string(let text): initial.addString(text, forKey: key)
                case .binary(let bytes): trailing.addBinary(bytes, forKey: key)
                }
            }
            return StreamingServerResponse(single: ServerResponse(message: single.message, metadata: initial, trailingMetadata: trailing))
        }
        router.registerHandler(forMethod: Self.slow, deserializer: RawBytes(), serializer: RawBytes()) { request, context in
            _ = try await ServerRequest(stream: request)
            self.probe.update {
                $0.running += 1
                $0.mostRunning = max($0.mostRunning, $0.running)
            }
            defer { self.probe.update { $0.running -= 1 } }
            while !self.probe.now.released {
                if context.cancellation.isCancelled {
                    self.probe.update { $0.cancelled += 1 }
                    throw RPCError(code: .cancelled, message: "cancelled")
                }
                try await Task.sleep(for: .milliseconds(5))
            }
            return StreamingServerResponse(single: ServerResponse(message: []))
        }
        router.registerHandler(forMethod: Self.many, deserializer: RawBytes(), serializer: RawBytes()) { request, _ in
            let asked = try await ServerRequest(stream: request).message
            let count = Int(asked[0]) << 8 | Int(asked[1])
            let size = Int(asked[2]) << 16 | Int(asked[3]) << 8 | Int(asked[4])
            return StreamingServerResponse { writer in
                for index in 0..<count {
                    try await writer.write([UInt8](repeating: UInt8(truncatingIfNeeded: index), count: size))
                    self.probe.update { $0.written += 1 }
                }
                return [:]
            }
        }
    }
}
