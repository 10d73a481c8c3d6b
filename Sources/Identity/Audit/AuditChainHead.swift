/// The last link of an audit chain and how many events it holds, kept beside the events:
/// removing a chain's latest events is seen as a mismatch with it.
public struct AuditChainHead: Hashable, Sendable {
    public let chain: String
    public let length: Int64
    public let head: [UInt8]

    public init(chain: String, length: Int64, head: [UInt8]) {
        self.chain = chain
        self.length = length
        self.head = head
    }
}
