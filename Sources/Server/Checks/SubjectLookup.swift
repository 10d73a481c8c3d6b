internal import Authz
import Foundation
import JSON

/// A lookup-subjects question, read once for both transports (see `ResourceLookup`).
struct SubjectLookup: LookupQuestion {
    /// The permission and resource, read as in a check: the same rules, the same paths.
    let item: CheckItem
    let limit: Int
    let cursor: LookupCursor?
    let minimumRevision: UInt64?

    /// Subjects are principals.
    var itemType: String { "principal" }

    static func parse(_ body: JSONValue, queryCursor: String? = nil, policy: Policy, reader: inout JSONReader) -> SubjectLookup? {
        let fields = reader.object(body, at: "", allowed: ["permission", "resource", "limit", "cursor", "consistency"])
        let item = CheckItem.parse(
            .object(fields?.filter { ["permission", "resource"].contains($0.key) } ?? [:]),
            at: "",
            allowed: ["permission", "resource"],
            policy: policy,
            reader: &reader
        )
        let (limit, cursor) = ResourceLookup.paging(fields, queryCursor: queryCursor, reader: &reader)
        let minimum = AuthzController.minimumRevision(fields, reader: &reader)
        guard reader.problems.isEmpty, let item else { return nil }
        return SubjectLookup(item: item, limit: limit, cursor: cursor, minimumRevision: minimum)
    }
}
