internal import Authz
internal import AuthzProto
internal import GRPCCore
internal import GRPCProtobuf

/// `CheckBatch`'s request read straight from its bytes (`CheckBatchProtoScanner`), or, when
/// the scanner declines, decoded by SwiftProtobuf and read from the message: so a malformed
/// message is refused as every other method's is.
struct CheckBatchDeserializer: MessageDeserializer {
    let policy: Policy

    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> CheckBatchRequestRead {
        let limit = AuthzController.batchLimit
        if let batch = serializedMessageBytes.withUnsafeBytes({ CheckBatchProtoScanner.scan($0, policy: self.policy, batchLimit: limit) }) {
            return .batch(batch)
        }
        let message = try ProtobufDeserializer<Authz_V1_CheckBatchRequest>().deserialize(serializedMessageBytes)
        return CheckBatch.read(message, policy: self.policy, batchLimit: limit)
    }
}
