internal import AuthzProto
import JSON

/// The parts of the lookup messages as the JSON API would spell them, so the lookups read a
/// gRPC request with the JSON API's own parser (`ResourceLookup`, `SubjectLookup`): one set of
/// rules and messages for both. Protobuf cannot tell an empty string or a zero from one not
/// given, so those are left out, as a JSON client would leave them out.
enum ProtoJSON {
    static func subject(_ subject: Authz_V1_SubjectReference) -> JSONValue {
        var fields: [String: JSONValue] = ["type": .string(subject.type.isEmpty ? "principal" : subject.type)]
        if !subject.id.isEmpty { fields["id"] = .string(subject.id) }
        return .object(fields)
    }

    static func resource(_ resource: Authz_V1_ResourceReference) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        if !resource.type.isEmpty { fields["type"] = .string(resource.type) }
        if !resource.id.isEmpty { fields["id"] = .string(resource.id) }
        if resource.hasOrganizationID { fields["organization_id"] = .string(resource.organizationID) }
        if resource.hasTeamID { fields["team_id"] = .string(resource.teamID) }
        if resource.hasOwnerID { fields["owner_id"] = .string(resource.ownerID) }
        return .object(fields)
    }

    /// `limit`, `cursor` and `consistency`, common to both lookups.
    static func paging(limit: UInt32, cursor: String, consistency: Authz_V1_Consistency?, into fields: inout [String: JSONValue]) {
        if limit != 0 { fields["limit"] = .number(Double(limit)) }
        if !cursor.isEmpty { fields["cursor"] = .string(cursor) }
        if let consistency { fields["consistency"] = .object(["min_revision": .string(String(consistency.minRevision))]) }
    }

    static func string(_ text: String, _ key: String, into fields: inout [String: JSONValue]) {
        if !text.isEmpty { fields[key] = .string(text) }
    }
}
