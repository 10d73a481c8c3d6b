internal import Authz
internal import AuthzProto
import JSON

extension ResourceLookup {
    /// Read with the JSON API's rules and field paths (see `ProtoJSON`).
    static func parse(_ message: Authz_V1_LookupResourcesRequest, policy: Policy, reader: inout JSONReader) -> ResourceLookup? {
        var fields: [String: JSONValue] = [:]
        if message.hasSubject { fields["subject"] = ProtoJSON.subject(message.subject) }
        ProtoJSON.string(message.permission, "permission", into: &fields)
        ProtoJSON.string(message.resourceType, "resource_type", into: &fields)
        ProtoJSON.string(message.organizationID, "organization_id", into: &fields)
        ProtoJSON.paging(limit: message.limit, cursor: message.cursor, consistency: message.hasConsistency ? message.consistency : nil, into: &fields)
        return Self.parse(.object(fields), policy: policy, reader: &reader)
    }
}
