internal import Authz
internal import AuthzProto
import Foundation
import JSON

extension DecidedBatch {
    /// The answers as the gRPC API gives them, built from the decisions as the JSON answer is
    /// written (`writeResults`): the same fields as each item's `CheckResult.message(echo:)`,
    /// without a `CheckResult` per item, and with a reason or subject that repeats built once.
    /// With `echo` (the revision it was decided at), also what was asked.
    func messages(echo revision: UInt64?) -> [Authz_V1_CheckResponse] {
        let policy = self.snapshot.policy
        let explained = !self.traces.isEmpty
        var lastReason: Reason?
        var reasonMessage = Authz_V1_Reason()
        var lastSubject: UUID?
        var subjectMessage = Authz_V1_ObjectReference()
        var messages: [Authz_V1_CheckResponse] = []
        messages.reserveCapacity(self.items.count)
        for index in self.items.indices {
            if explained, self.traces[index] != nil {
                messages.append(self.result(at: index).message(echo: revision))
                continue
            }
            let decision = self.decisions[index]
            var message = Authz_V1_CheckResponse()
            message.allowed = decision.allowed
            if let reason = decision.reason {
                // A reason that repeats is built once (the creator rule's names the resource).
                if reason != lastReason || reason.source == .creator {
                    lastReason = reason
                    reasonMessage =
                        CheckResult.ReasonBody(reason, policy: policy, resource: CheckResult.Reference(resourceOf: self.items[index], policy: policy))
                        .message
                }
                message.reason = reasonMessage
            }
            if decision.denial != nil, let grants = CheckResult.grants(self.items[index], decision: decision, snapshot: self.snapshot) {
                message.grantableBy = grants.map(\.message)
            }
            if let revision {
                message.revision = revision
                message.permission = policy.name(of: self.items[index].permission)
                message.resource = CheckResult.Reference(resourceOf: self.items[index], policy: policy).message
                let subject = self.subjects[index]
                if subject != lastSubject {
                    lastSubject = subject
                    subjectMessage = CheckResult.Reference(type: "principal", id: subject).message
                }
                message.subject = subjectMessage
            }
            messages.append(message)
        }
        return messages
    }
}
