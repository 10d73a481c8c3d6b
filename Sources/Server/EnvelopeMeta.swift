/// `meta` of the envelope (API.md §1).
struct EnvelopeMeta: Encodable, Sendable {
    let requestID: String
    let traceID: String
    let timestamp: String
    let status: Int
    let version: String
    let revision: String

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case traceID = "trace_id"
        case timestamp, status, version, revision
    }
}
