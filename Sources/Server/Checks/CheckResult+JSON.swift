import JSON

/// Check answers write themselves: they are the hot path's payload (a batch holds up to
/// 1,000), and `JSONEncoder` cost more than the checks. Same bytes as the `Encodable` form.
extension CheckResult: JSONWritable {
    func write(to output: inout JSONOutput) {
        self.write(to: &output, echo: true)
    }

    /// Without `echo`, only what the caller did not send: the decision, its reason, the
    /// roles that would grant it and the trace (a batch states its revision once).
    func write(to output: inout JSONOutput, echo: Bool) {
        output.open()
        output.field("allowed", first: true) { $0.bool(self.allowed) }
        if let grantableBy = self.grantableBy {
            output.field("grantable_by") { output in
                output.list(grantableBy) { output, grant in
                    output.open()
                    output.field("on", first: true) { grant.on.write(to: &$0) }
                    output.field("role", grant.role)
                    output.close()
                }
            }
        }
        if echo { output.field("permission", self.permission) }
        output.field("reason") { output in
            guard let reason = self.reason else { return output.raw("null") }
            output.open()
            output.field("on", first: true) { reason.on.write(to: &$0) }
            output.field("role", reason.role)
            output.field("via_team", reason.viaTeam)
            output.close()
        }
        if echo {
            output.field("resource") { self.resource.write(to: &$0) }
            output.field("revision", self.revision)
            output.field("subject") { self.subject.write(to: &$0) }
        }
        if let trace = self.trace {
            output.field("trace") { $0.list(trace) { $0.string($1) } }
        }
        output.close()
    }
}

extension CheckResult.Reference: JSONWritable {
    func write(to output: inout JSONOutput) {
        output.open()
        switch self.id {
        case .uuid(let id): output.field("id", uuid: id, first: true)
        case .text(let id): output.field("id", id, first: true)
        }
        output.field("type", self.type)
        output.close()
    }
}

extension AuthzController.BatchResult: JSONWritable {
    func write(to output: inout JSONOutput) {
        output.open()
        output.field("results", first: true) { $0.list(self.results) { output, result in result.write(to: &output, echo: self.echo) } }
        output.field("revision", self.revision)
        output.close()
    }
}
