import Foundation

/// `meta` of the envelope (docs/API.md §1).
struct EnvelopeMeta: Sendable {
    let requestID: UUID
    let traceID: UUID
    let timestamp: String
    let status: Int
    let version: String
    let revision: String
}
