/// What `authz audit verify` found.
public enum AuditVerification: Hashable, Sendable, CustomStringConvertible {
    case intact(events: Int, chains: Int)
    /// The first broken entry, by its place in the log, and what is wrong with it.
    case broken(sequence: Int64?, chain: String, reason: String)

    public var description: String {
        switch self {
        case .intact(let events, let chains):
            "audit log intact: \(events) events in \(chains) chains"
        case .broken(let sequence, let chain, let reason):
            "audit log broken: \(sequence.map { "entry \($0)" } ?? "the end") of chain \(chain.isEmpty ? "platform" : chain): \(reason)"
        }
    }
}
