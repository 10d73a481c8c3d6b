internal import Authz
import Foundation
import JSON

/// Reads the common shape of a `CheckBatchRequest` straight from its bytes into
/// `CheckItem`s, as `CheckBatchScanner` does for JSON: ids parsed in place, names recognised
/// by their bytes once the batch has spelled them. It says nil for anything else (a mistake,
/// an unknown or repeated field, a per-item `consistency`, a batch of the wrong size); the
/// request then goes through SwiftProtobuf and `CheckBatch.read`, which say what is wrong
/// with the same field paths as before. `CheckBatchProtoScannerTests` holds the two to the
/// same batches.
struct CheckBatchProtoScanner {
    private let policy: Policy
    private var permissions = ScannedNames<PermissionID>()
    private var types = ScannedNames<ResourceTypeID>()

    private init(policy: Policy) {
        self.policy = policy
    }

    static func scan(_ bytes: UnsafeRawBufferPointer, policy: Policy, batchLimit: Int) -> CheckBatch? {
        var scanner = CheckBatchProtoScanner(policy: policy)
        var input = ProtoInput(bytes)
        var batch = CheckBatch(items: [], minimumRevision: nil, echo: false)
        var seen = Fields()
        while !input.isAtEnd {
            guard let (number, type) = input.field() else { return nil }
            switch (number, type) {
            case (1, .lengthDelimited):
                guard batch.items.count < batchLimit, let check = input.lengthDelimited(), let item = scanner.item(check) else { return nil }
                if batch.items.isEmpty { batch.items.reserveCapacity(min(batchLimit, bytes.count / 40 + 1)) }
                batch.items.append(item)
            case (2, .lengthDelimited):
                guard seen.insert(2), let consistency = input.lengthDelimited(), let revision = Self.minimumRevision(consistency) else { return nil }
                batch.minimumRevision = revision
            case (3, .varint):
                guard seen.insert(3), let echo = input.varint() else { return nil }
                batch.echo = echo != 0
            default:
                return nil
            }
        }
        return batch.items.isEmpty ? nil : batch
    }

    /// `Consistency`: its one field, `min_revision`.
    private static func minimumRevision(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        var input = ProtoInput(bytes)
        var revision: UInt64 = 0
        var seen = Fields()
        while !input.isAtEnd {
            guard let (number, type) = input.field(), number == 1, type == .varint, seen.insert(1), let value = input.varint() else { return nil }
            revision = value
        }
        return revision
    }

    /// `CheckRequest`: subject, permission, resource and explain; consistency is the batch's.
    private mutating func item(_ bytes: UnsafeRawBufferPointer) -> CheckItem? {
        var input = ProtoInput(bytes)
        var seen = Fields()
        var subject: UUID?
        var permissionName: UnsafeRawBufferPointer?
        var resource: UnsafeRawBufferPointer?
        var explain = false
        while !input.isAtEnd {
            guard let (number, type) = input.field(), seen.insert(number) else { return nil }
            switch (number, type) {
            case (1, .lengthDelimited):
                guard let bytes = input.lengthDelimited(), let id = Self.subject(bytes) else { return nil }
                subject = id
            case (2, .lengthDelimited):
                guard let name = input.lengthDelimited(), !name.isEmpty else { return nil }
                permissionName = name
            case (3, .lengthDelimited):
                resource = input.lengthDelimited()
            case (4, .varint):
                guard let value = input.varint() else { return nil }
                explain = value != 0
            default:
                return nil
            }
        }
        guard let resource, let (type, reference) = self.resource(resource), let permissionName else { return nil }
        let policy = self.policy
        guard let permission = self.permissions.id(of: permissionName, { policy.permission(named: $0) }) else { return nil }
        guard self.policy.permission(permission, appliesTo: type) else { return nil }
        return CheckItem(subject: subject, permission: permission, resource: reference, explain: explain)
    }

    /// `SubjectReference`: type "principal" (or left out) and a UUID.
    private static func subject(_ bytes: UnsafeRawBufferPointer) -> UUID? {
        var input = ProtoInput(bytes)
        var seen = Fields()
        var id: UUID?
        while !input.isAtEnd {
            guard let (number, type) = input.field(), type == .lengthDelimited, seen.insert(number), let value = input.lengthDelimited() else {
                return nil
            }
            switch number {
            case 1:
                guard value.isEmpty || value.spells("principal") else { return nil }
            case 2:
                id = UUID(utf8: value)
            default:
                return nil
            }
        }
        return id
    }

    /// `ResourceReference`: a stored resource's type and UUID, or an external one's type,
    /// id and organization (with its team and owner if given).
    private mutating func resource(_ bytes: UnsafeRawBufferPointer) -> (ResourceTypeID, ResourceReference)? {
        var input = ProtoInput(bytes)
        var seen = Fields()
        var name: UnsafeRawBufferPointer?
        var id: UnsafeRawBufferPointer?
        var organizationID: UnsafeRawBufferPointer?
        var teamID: UnsafeRawBufferPointer?
        var ownerID: UnsafeRawBufferPointer?
        while !input.isAtEnd {
            guard let (number, type) = input.field(), type == .lengthDelimited, seen.insert(number), let value = input.lengthDelimited() else {
                return nil
            }
            switch number {
            case 1: name = value
            case 2: id = value
            case 3: organizationID = value
            case 4: teamID = value
            case 5: ownerID = value
            default: return nil
            }
        }
        guard let name, !name.isEmpty, let id else { return nil }
        let policy = self.policy
        guard let type = self.types.id(of: name, { policy.resourceTypeID(named: $0) }) else { return nil }
        if self.policy.isExternal(type) {
            guard CheckItem.externalIDLength.contains(id.count), id.allSatisfy({ (0x21...0x7E).contains($0) }),
                let organization = organizationID.flatMap(UUID.init(utf8:))
            else { return nil }
            var team: UUID?
            var owner: UUID?
            if let given = teamID {
                guard let id = UUID(utf8: given) else { return nil }
                team = id
            }
            if let given = ownerID {
                guard let id = UUID(utf8: given) else { return nil }
                owner = id
            }
            let text = String(decoding: id, as: UTF8.self)
            return (type, .external(type: type, id: text, organization: organization, team: team, owner: owner))
        }
        guard organizationID == nil, teamID == nil, ownerID == nil, let uuid = UUID(utf8: id) else { return nil }
        return (type, .stored(type: type, id: uuid))
    }

    /// The field numbers a message has given: each may appear once here (protobuf allows a
    /// repeat, which SwiftProtobuf then merges; that rare case is left to it).
    private struct Fields {
        private var bits: UInt64 = 0

        mutating func insert(_ number: UInt64) -> Bool {
            guard number < 64 else { return false }
            let bit: UInt64 = 1 << number
            guard self.bits & bit == 0 else { return false }
            self.bits |= bit
            return true
        }
    }
}
