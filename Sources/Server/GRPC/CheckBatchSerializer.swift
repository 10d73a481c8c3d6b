internal import Authz
internal import GRPCCore

/// Writes `CheckBatchResponse` from the decisions (`DecidedBatch.writeResults(to:echo:)`),
/// the bytes SwiftProtobuf would write for the same messages.
struct CheckBatchSerializer: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ answer: CheckBatchAnswer) throws -> Bytes {
        var output = ProtoOutput(capacity: answer.decided.count * (answer.echo ? 160 : 64) + 16)
        try answer.decided.writeResults(to: &output, echo: answer.echo)
        output.uint64(2, answer.decided.snapshot.revision)
        return output.bytes.withUnsafeBytes { Bytes($0) }
    }
}
