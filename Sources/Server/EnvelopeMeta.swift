/// `meta` of the envelope (API.md §1).
struct EnvelopeMeta: Sendable {
    let requestID: String
    let traceID: String
    let timestamp: String
    let status: Int
    let version: String
    let revision: String
}
