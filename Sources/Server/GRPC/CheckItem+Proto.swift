internal import Authz
internal import AuthzProto
import Foundation
import JSON

extension CheckItem {
    /// A check as a protobuf message gives it, held to the same rules and messages as the
    /// JSON API's (`CheckItem.parse`), with the same field paths (`checks[2].resource.id`).
    /// Nil when anything is wrong; the reader then holds every problem.
    ///
    /// Protobuf has no "absent" for a string, so an empty one is taken as not given.
    static func parse(_ message: Authz_V1_CheckRequest, at path: String, inBatch: Bool, policy: Policy, reader: inout JSONReader) -> CheckItem? {
        let before = reader.problems.count
        var subject: UUID?
        if message.hasSubject {
            let subjectPath = JSONReader.join(path, "subject")
            if !message.subject.type.isEmpty && message.subject.type != "principal" {
                reader.problem(JSONReader.join(subjectPath, "type"), "must be \"principal\"")
            }
            subject = Self.uuid(message.subject.id, at: JSONReader.join(subjectPath, "id"), reader: &reader)
        }

        let resourcePath = JSONReader.join(path, "resource")
        var type: ResourceTypeID?
        var reference: ResourceReference?
        if !message.hasResource {
            reader.problem(resourcePath, "is required")
        } else {
            let resource = message.resource
            if resource.type.isEmpty {
                reader.problem(JSONReader.join(resourcePath, "type"), "is required")
            } else {
                type = Self.resourceType(named: resource.type, at: resourcePath, policy: policy, reader: &reader)
            }
            if let type, policy.isExternal(type) {
                let id =
                    resource.id.isEmpty
                    ? Self.required(JSONReader.join(resourcePath, "id"), reader: &reader)
                    : Self.externalID(resource.id, at: resourcePath, reader: &reader)
                let organization =
                    resource.hasOrganizationID
                    ? Self.uuid(resource.organizationID, at: JSONReader.join(resourcePath, "organization_id"), reader: &reader)
                    : Self.required(JSONReader.join(resourcePath, "organization_id"), reader: &reader)
                let team = resource.hasTeamID ? Self.uuid(resource.teamID, at: JSONReader.join(resourcePath, "team_id"), reader: &reader) : nil
                let owner = resource.hasOwnerID ? Self.uuid(resource.ownerID, at: JSONReader.join(resourcePath, "owner_id"), reader: &reader) : nil
                if let id, let organization {
                    reference = .external(type: type, id: id, organization: organization, team: team, owner: owner)
                }
            } else if let type {
                let id = Self.uuid(resource.id, at: JSONReader.join(resourcePath, "id"), reader: &reader)
                let given = zip(Self.externalOnlyFields, [resource.hasOrganizationID, resource.hasTeamID, resource.hasOwnerID]).filter(\.1).map(\.0)
                Self.refuseExternalOnly(given, of: type, at: resourcePath, policy: policy, reader: &reader)
                if let id { reference = .stored(type: type, id: id) }
            }
        }

        var permission: PermissionID?
        if message.permission.isEmpty {
            reader.problem(JSONReader.join(path, "permission"), "is required")
        } else {
            permission = Self.permission(named: message.permission, on: type, at: path, policy: policy, reader: &reader)
        }
        if inBatch && message.hasConsistency {
            reader.problem(JSONReader.join(path, "consistency"), "is given once, for the whole batch")
        }

        guard reader.problems.count == before, let permission, let reference, let type else { return nil }
        return CheckItem(subject: subject, permission: permission, resource: reference, explain: message.explain)
    }

    private static func uuid(_ text: String, at path: String, reader: inout JSONReader) -> UUID? {
        if text.isEmpty { return Self.required(path, reader: &reader) }
        guard let id = UUID(text: text) else {
            reader.problem(path, "must be a UUID")
            return nil
        }
        return id
    }

    private static func required<T>(_ path: String, reader: inout JSONReader) -> T? {
        reader.problem(path, "is required")
        return nil
    }
}
