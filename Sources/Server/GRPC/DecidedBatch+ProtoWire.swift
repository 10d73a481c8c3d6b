internal import Authz
internal import AuthzProto
import Foundation
internal import SwiftProtobuf

extension DecidedBatch {
    /// `CheckBatchResponse.results`: each item's `CheckResponse` written straight from its
    /// decision, the bytes SwiftProtobuf writes for `CheckResult.message(echo:)`
    /// (`ProtoWireTests`), as the JSON answer is written (`writeResults(to:echo:)` for
    /// `JSONOutput`). A reason, revision or subject that repeats is encoded once and copied;
    /// an explained item, rare and long, goes through its message.
    func writeResults(to output: inout ProtoOutput, echo: Bool) throws {
        let policy = self.snapshot.policy
        let revision = self.snapshot.revision
        let explained = !self.traces.isEmpty
        var lastReason: Reason?
        var reasonField = ProtoOutput()
        var lastSubject: UUID?
        var subjectField = ProtoOutput()
        var permissionFields: [(PermissionID, ProtoOutput)] = []
        var item = ProtoOutput(capacity: 256)
        var scratch = ProtoOutput(capacity: 64)
        for index in self.items.indices {
            if explained, self.traces[index] != nil {
                let bytes: [UInt8] = try self.result(at: index).message(echo: echo ? revision : nil).serializedBytes()
                output.key(1, .lengthDelimited)
                output.varint(UInt64(bytes.count))
                output.raw(bytes)
                continue
            }
            let decision = self.decisions[index]
            item.removeAll()
            item.bool(1, decision.allowed)
            if let reason = decision.reason {
                if reason != lastReason || reason.source == .creator {
                    // The creator rule's reason names the resource: encoded each time.
                    lastReason = reason
                    reasonField.removeAll()
                    let body = CheckResult.ReasonBody(
                        reason,
                        policy: policy,
                        resource: CheckResult.Reference(resourceOf: self.items[index], policy: policy)
                    )
                    scratch.removeAll()
                    body.write(to: &scratch)
                    reasonField.message(2, scratch)
                }
                item.raw(reasonField)
            }
            if decision.denial != nil, let grants = CheckResult.grants(self.items[index], decision: decision, snapshot: self.snapshot) {
                for grant in grants {
                    scratch.removeAll()
                    grant.write(to: &scratch)
                    item.message(3, scratch)
                }
            }
            if echo {
                item.uint64(5, revision)
                let permission = self.items[index].permission
                if let field = permissionFields.first(where: { $0.0 == permission }) {
                    item.raw(field.1)
                } else {
                    var field = ProtoOutput()
                    field.string(6, policy.name(of: permission))
                    item.raw(field)
                    permissionFields.append((permission, field))
                }
                scratch.removeAll()
                CheckResult.Reference(resourceOf: self.items[index], policy: policy).write(to: &scratch)
                item.message(7, scratch)
                let subject = self.subjects[index]
                if subject != lastSubject {
                    lastSubject = subject
                    scratch.removeAll()
                    CheckResult.Reference(type: "principal", id: subject).write(to: &scratch)
                    subjectField.removeAll()
                    subjectField.message(8, scratch)
                }
                item.raw(subjectField)
            }
            output.message(1, item)
        }
    }
}
