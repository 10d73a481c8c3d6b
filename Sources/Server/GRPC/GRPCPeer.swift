/// The client address in gRPC's peer description (`ipv4:127.0.0.1:52100`,
/// `ipv6:[::1]:52100`), as HTTP's rate limits and audit records name it (`127.0.0.1`, `::1`).
enum GRPCPeer {
    static func address(_ peer: String) -> String {
        var rest = Substring(peer)
        for scheme in ["ipv4:", "ipv6:"] where rest.hasPrefix(scheme) {
            rest = rest.dropFirst(scheme.count)
            if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                return String(rest[rest.index(after: rest.startIndex)..<close])
            }
            if let colon = rest.lastIndex(of: ":") { return String(rest[..<colon]) }
            return String(rest)
        }
        return peer.isEmpty ? "unknown" : peer
    }
}
