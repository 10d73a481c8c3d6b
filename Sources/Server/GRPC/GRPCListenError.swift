/// The gRPC listener could not serve: the address, and what the transport said.
struct GRPCListenError: Error, CustomStringConvertible {
    let address: String
    let cause: any Error

    var description: String { "gRPC could not listen on \(self.address) (--grpc-port, --grpc-host; 0 turns gRPC off): \(self.cause)" }
}
