internal import Authz
import Foundation
import JSON

/// One check as the API describes it (docs/API.md §4), parsed against the policy: names resolved,
/// every field validated.
struct CheckItem: Sendable, Equatable {
    let subject: UUID?
    let permission: PermissionID
    let resource: ResourceReference
    let explain: Bool

    /// An external resource's id: the calling service's own, 1 to 256 visible ASCII
    /// characters (RFC 5234's VCHAR: `!` to `~`, so no spaces or control characters).
    static let externalIDLength = 1...256

    static let fields: Set = ["subject", "permission", "resource", "context", "explain", "consistency"]
    static let batchItemFields: Set = ["subject", "permission", "resource", "context", "explain"]
    static let resourceFields: Set = ["type", "id", "organization_id", "team_id", "owner_id"]
    static let subjectFields: Set = ["type", "id"]
    static let externalOnlyFields = ["organization_id", "team_id", "owner_id"]

    /// Nil when anything is wrong; the reader then holds every problem, under `path`.
    static func parse(_ value: JSONValue?, at path: String, allowed: Set<String>, policy: Policy, reader: inout JSONReader) -> CheckItem? {
        guard let value else {
            reader.problem(path, "is required")
            return nil
        }
        guard let members = reader.object(value, at: path, allowed: allowed) else { return nil }
        let before = reader.problems.count

        let subject = Self.subject(members["subject"], at: JSONReader.join(path, "subject"), reader: &reader)

        let resourcePath = JSONReader.join(path, "resource")
        let resourceValue = members["resource"].flatMap { $0 == .null ? nil : $0 }
        if resourceValue == nil { reader.problem(resourcePath, "is required") }
        let resourceFields = reader.object(resourceValue, at: resourcePath, allowed: Self.resourceFields)
        let typeName = reader.string(resourceFields, "type", at: resourcePath)
        let type = typeName.flatMap { Self.resourceType(named: $0, at: resourcePath, policy: policy, reader: &reader) }
        var reference: ResourceReference?
        if let type, policy.isExternal(type) {
            let id = Self.externalID(resourceFields, at: resourcePath, reader: &reader)
            let organization = reader.uuid(resourceFields, "organization_id", at: resourcePath)
            let team = reader.uuid(resourceFields, "team_id", at: resourcePath, required: false)
            let owner = reader.uuid(resourceFields, "owner_id", at: resourcePath, required: false)
            if let id, let organization {
                reference = .external(type: type, id: id, organization: organization, team: team, owner: owner)
            }
        } else if let type {
            let id = reader.uuid(resourceFields, "id", at: resourcePath)
            Self.refuseExternalOnly(
                Self.externalOnlyFields.filter { resourceFields?[$0] != nil },
                of: type,
                at: resourcePath,
                policy: policy,
                reader: &reader
            )
            if let id { reference = .stored(type: type, id: id) }
        } else {
            _ = reader.string(resourceFields, "id", at: resourcePath)
        }

        let permission = reader.string(members, "permission", at: path).flatMap {
            Self.permission(named: $0, on: type, at: path, policy: policy, reader: &reader)
        }
        if let context = members["context"], context != .null {
            _ = reader.object(context, at: JSONReader.join(path, "context"), allowed: Set(Self.contextKeys(context)))
        }
        let explain = reader.bool(members, "explain", at: path) ?? false

        guard reader.problems.count == before, let permission, let reference, let type else { return nil }
        return CheckItem(subject: subject, permission: permission, resource: reference, explain: explain)
    }

    static func externalID(_ fields: [String: JSONValue]?, at path: String, reader: inout JSONReader) -> String? {
        guard let id = reader.string(fields, "id", at: path) else { return nil }
        return Self.externalID(id, at: path, reader: &reader)
    }

    /// The rules a check's names follow whatever it arrived in (JSON or protobuf): one
    /// message, at one field path, for each mistake.
    static func externalID(_ id: String, at path: String, reader: inout JSONReader) -> String? {
        let bytes = id.utf8
        guard Self.externalIDLength.contains(bytes.count), bytes.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            reader.problem(
                JSONReader.join(path, "id"),
                "must be 1 to \(Self.externalIDLength.upperBound) visible ASCII characters (no spaces or control characters)"
            )
            return nil
        }
        return id
    }

    static func resourceType(named name: String, at resourcePath: String, policy: Policy, reader: inout JSONReader) -> ResourceTypeID? {
        guard let type = policy.resourceTypeID(named: name) else {
            reader.problem(JSONReader.join(resourcePath, "type"), "unknown resource type '\(name)'")
            return nil
        }
        return type
    }

    static func permission(named name: String, on type: ResourceTypeID?, at path: String, policy: Policy, reader: inout JSONReader) -> PermissionID? {
        guard let permission = policy.permission(named: name) else {
            reader.problem(JSONReader.join(path, "permission"), "unknown permission '\(name)'")
            return nil
        }
        if let type, !policy.permission(permission, appliesTo: type) {
            reader.problem(JSONReader.join(path, "permission"), "'\(policy.name(of: permission))' does not apply to a \(policy.typeName(type))")
        }
        return permission
    }

    static func refuseExternalOnly(_ given: [String], of type: ResourceTypeID, at resourcePath: String, policy: Policy, reader: inout JSONReader) {
        for key in given {
            reader.problem(JSONReader.join(resourcePath, key), "is only given for external resource types; '\(policy.typeName(type))' is stored")
        }
    }

    /// `{"type": "principal", "id": ...}`; nil when absent (the caller is the subject).
    static func subject(_ value: JSONValue?, at path: String, reader: inout JSONReader) -> UUID? {
        guard let value, value != .null else { return nil }
        let fields = reader.object(value, at: path, allowed: Self.subjectFields)
        if let type = reader.string(fields, "type", at: path), type != "principal" {
            reader.problem(JSONReader.join(path, "type"), "must be \"principal\"")
        }
        return reader.uuid(fields, "id", at: path)
    }

    /// `context` is the caller's own, passed through unread: any keys are allowed.
    static func contextKeys(_ value: JSONValue) -> [String] {
        if case .object(let members) = value { return Array(members.keys) }
        return []
    }
}
