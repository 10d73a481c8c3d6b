internal import Authz
import Foundation
import JSON

extension DecidedBatch {
    /// `[…]`: each item's answer written straight from its decision, the same bytes as its
    /// `CheckResult` writes (`JSONTests` holds the two together). An explained item, rare
    /// and long, goes through its `CheckResult`.
    func writeResults(to output: inout JSONOutput, echo: Bool) {
        let policy = self.snapshot.policy
        let revision = String(self.snapshot.revision)
        let explained = !self.traces.isEmpty
        var lastReason: Reason?
        var reasonText = JSONOutput(capacity: 0)
        var lastSubject: UUID?
        var tail = JSONOutput(capacity: 0)
        // Only an echoed answer names the permission and the resource.
        let fragments = AnswerFragments(for: echo ? self.items : [], policy: policy)
        output.raw("[")
        for index in self.items.indices {
            if index > 0 { output.comma() }
            if explained, self.traces[index] != nil {
                self.result(at: index).write(to: &output, echo: echo)
                continue
            }
            // Fields read in place: a copy of the item (its strings retained and released)
            // per answer was a visible share of writing them.
            let decision = self.decisions[index]
            output.raw(decision.allowed ? "{\"allowed\":true" : "{\"allowed\":false")
            if decision.denial != nil, let grants = CheckResult.grants(self.items[index], decision: decision, snapshot: self.snapshot) {
                CheckResult.write(grants, to: &output)
            }
            if echo {
                fragments.writePermission(self.items[index].permission, to: &output)
            }
            if let reason = decision.reason {
                output.raw(",\"reason\":")
                if reason.source == .creator {
                    CheckResult.ReasonBody(reason, policy: policy, resource: CheckResult.Reference(resourceOf: self.items[index], policy: policy))
                        .write(to: &output)
                } else {
                    // Answers in a batch mostly share their reason (the caller's role on the
                    // organization): written once, then copied while it repeats. (The creator
                    // rule's names the resource, so it is written each time.)
                    if reason != lastReason {
                        lastReason = reason
                        reasonText = JSONOutput(capacity: 160)
                        CheckResult.ReasonBody(reason, policy: policy, resource: CheckResult.Reference(resourceOf: self.items[index], policy: policy))
                            .write(to: &reasonText)
                    }
                    output.raw(reasonText)
                }
            } else {
                output.raw(",\"reason\":null")
            }
            if echo {
                switch self.items[index].resource {
                case .stored(let type, let id):
                    output.raw(",\"resource\":{\"id\":")
                    output.uuid(id)
                    fragments.writeTypeClosing(type, to: &output)
                case .external:
                    output.raw(",\"resource\":")
                    CheckResult.Reference(resourceOf: self.items[index], policy: policy).write(to: &output)
                }
                // The revision and subject close the answer; the subject is mostly the
                // caller throughout, so this tail too is written once while it repeats.
                let subject = self.subjects[index]
                if subject != lastSubject {
                    lastSubject = subject
                    tail = JSONOutput(capacity: 100)
                    tail.raw(",\"revision\":")
                    tail.string(revision)
                    tail.raw(",\"subject\":")
                    CheckResult.Reference(type: "principal", id: subject).write(to: &tail)
                    tail.raw("}")
                }
                output.raw(tail)
            } else {
                output.raw("}")
            }
        }
        output.raw("]")
    }
}
