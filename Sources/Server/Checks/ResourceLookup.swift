internal import Authz
import Foundation
import JSON

/// A lookup-resources question as read from its JSON body (HTTP) or from the protobuf message
/// turned into the same JSON (gRPC): one parser, so both transports say the same thing about the
/// same mistake, at the same field path.
struct ResourceLookup: LookupQuestion {
    let subject: UUID?
    let permission: PermissionID
    let type: ResourceType
    let organization: UUID
    let limit: Int
    let cursor: LookupCursor?
    let minimumRevision: UInt64?

    var itemType: String { self.type.name }

    static let fields: Set<String> = ["subject", "permission", "resource_type", "organization_id", "limit", "cursor", "consistency"]

    /// Nil when anything is wrong; the reader then holds every problem. `queryCursor` is the
    /// `?cursor=` of `links.next`, used when the body has none.
    static func parse(_ body: JSONValue, queryCursor: String? = nil, policy: Policy, reader: inout JSONReader) -> ResourceLookup? {
        let fields = reader.object(body, at: "", allowed: Self.fields)
        let subject = CheckItem.subject(fields?["subject"], at: "subject", reader: &reader)
        let typeName = reader.string(fields, "resource_type", at: "")
        let type = typeName.flatMap { policy.resourceType(named: $0) }
        if let typeName, type == nil { reader.problem("resource_type", "unknown resource type '\(typeName)'") }
        if let type, type.isExternal { reader.problem("resource_type", "'\(type.name)' is external: the service stores none to list") }
        let permission = Self.permission(fields, applyingTo: type, policy: policy, reader: &reader)
        let organization = reader.uuid(fields, "organization_id", at: "")
        let (limit, cursor) = Self.paging(fields, queryCursor: queryCursor, reader: &reader)
        let minimum = AuthzController.minimumRevision(fields, reader: &reader)
        guard reader.problems.isEmpty, let type, let permission, let organization else { return nil }
        return ResourceLookup(
            subject: subject,
            permission: permission,
            type: type,
            organization: organization,
            limit: limit,
            cursor: cursor,
            minimumRevision: minimum
        )
    }

    static func permission(_ fields: [String: JSONValue]?, applyingTo type: ResourceType?, policy: Policy, reader: inout JSONReader) -> PermissionID?
    {
        guard let name = reader.string(fields, "permission", at: "") else { return nil }
        guard let permission = policy.permission(named: name) else {
            reader.problem("permission", "unknown permission '\(name)'")
            return nil
        }
        if let type, !type.permissions.contains(permission) {
            reader.problem("permission", "'\(name)' does not apply to a \(type.name)")
        }
        return permission
    }

    /// `limit` (1–200, default 50) and `cursor`, from the body or else the query: the next
    /// page is the same body posted to `links.next`.
    static func paging(_ fields: [String: JSONValue]?, queryCursor: String?, reader: inout JSONReader) -> (Int, LookupCursor?) {
        var limit = 50
        switch fields?["limit"] {
        case .number(let number)? where number == number.rounded() && (1...200).contains(number): limit = Int(number)
        case nil, .null?: break
        default: reader.problem("limit", "must be a whole number from 1 to 200")
        }
        var cursor: LookupCursor?
        if let text = reader.string(fields, "cursor", at: "", required: false) ?? queryCursor {
            cursor = LookupCursor(text)
            if cursor == nil { reader.problem("cursor", "is not a cursor this API issued") }
        }
        return (limit, cursor)
    }
}
