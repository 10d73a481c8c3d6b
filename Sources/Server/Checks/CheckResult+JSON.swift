internal import Authz
import JSON

/// Check answers write themselves: they are the hot path's payload (a batch holds up to
/// 1,000), and `JSONEncoder` cost more than the checks. Same bytes as the `Encodable` form.
extension CheckResult: JSONWritable {
    func write(to output: inout JSONOutput) {
        self.write(to: &output, echo: true)
    }

    /// Without `echo`, only what the caller did not send: the decision, its reason, the
    /// roles that would grant it and the trace (a batch states its revision once).
    ///
    /// The fixed parts of the answer are written as whole literals (`,"reason":{"on":`), not
    /// key by key: a batch writes a thousand of these, and the calls were most of its cost.
    func write(to output: inout JSONOutput, echo: Bool) {
        output.raw(self.allowed ? "{\"allowed\":true" : "{\"allowed\":false")
        if let grantableBy = self.grantableBy { Self.write(grantableBy, to: &output) }
        if echo {
            output.raw(",\"permission\":")
            output.string(self.permission)
        }
        if let reason = self.reason {
            output.raw(",\"reason\":")
            reason.write(to: &output)
        } else {
            output.raw(",\"reason\":null")
        }
        if echo {
            output.raw(",\"resource\":")
            self.resource.write(to: &output)
            output.raw(",\"revision\":")
            output.string(self.revision)
            output.raw(",\"subject\":")
            self.subject.write(to: &output)
        }
        if let trace = self.trace {
            output.raw(",\"trace\":[")
            for (index, step) in trace.enumerated() {
                if index > 0 { output.comma() }
                output.string(step)
            }
            output.raw("]")
        }
        output.raw("}")
    }
}

extension CheckResult {
    /// `,"grantable_by":[…]`.
    static func write(_ grants: [Grant], to output: inout JSONOutput) {
        output.raw(",\"grantable_by\":[")
        for (index, grant) in grants.enumerated() {
            output.raw(index == 0 ? "{\"on\":" : ",{\"on\":")
            grant.on.write(to: &output)
            output.raw(",\"role\":")
            output.string(grant.role)
            output.raw("}")
        }
        output.raw("]")
    }
}

extension CheckResult.ReasonBody: JSONWritable {
    func write(to output: inout JSONOutput) {
        output.raw("{\"on\":")
        self.on.write(to: &output)
        output.raw(",\"role\":")
        output.string(self.role)
        output.raw(",\"via_team\":")
        output.string(self.viaTeam)
        output.raw("}")
    }
}

extension CheckResult.Reference: JSONWritable {
    func write(to output: inout JSONOutput) {
        switch self.id {
        case .uuid(let id):
            output.raw("{\"id\":")
            output.uuid(id)
        case .text(let id):
            output.raw("{\"id\":")
            output.string(id)
        }
        output.raw(",\"type\":")
        output.string(self.type)
        output.raw("}")
    }
}

extension AuthzController.BatchResult: JSONWritable {
    /// About what a result takes, so the output is allocated once.
    var sizeHint: Int { self.batch.count * (self.echo ? 360 : 120) }

    func write(to output: inout JSONOutput) {
        output.open()
        output.field("results", first: true) { self.batch.writeResults(to: &$0, echo: self.echo) }
        output.field("revision", String(self.batch.snapshot.revision))
        output.close()
    }
}
