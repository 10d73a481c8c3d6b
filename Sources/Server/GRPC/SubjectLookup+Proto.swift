internal import Authz
internal import AuthzProto
import JSON

extension SubjectLookup {
    /// Read with the JSON API's rules and field paths (see `ProtoJSON`).
    static func parse(_ message: Authz_V1_LookupSubjectsRequest, policy: Policy, reader: inout JSONReader) -> SubjectLookup? {
        var fields: [String: JSONValue] = [:]
        ProtoJSON.string(message.permission, "permission", into: &fields)
        if message.hasResource { fields["resource"] = ProtoJSON.resource(message.resource) }
        ProtoJSON.paging(limit: message.limit, cursor: message.cursor, consistency: message.hasConsistency ? message.consistency : nil, into: &fields)
        return Self.parse(.object(fields), policy: policy, reader: &reader)
    }
}
