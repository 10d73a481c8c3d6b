/// Check answers write themselves: they are the hot path's payload (a batch holds up to
/// 1,000), and `JSONEncoder` cost more than the checks. Same bytes as the `Encodable` form.
extension CheckResult: JSONWritable {
    func write(to output: inout JSONOutput) {
        output.open()
        output.key("allowed")
        output.bool(self.allowed)
        if let grantableBy = self.grantableBy {
            output.comma()
            output.key("grantable_by")
            output.list(grantableBy) { output, grant in
                output.open()
                output.key("on")
                grant.on.write(to: &output)
                output.comma()
                output.key("role")
                output.string(grant.role)
                output.close()
            }
        }
        output.comma()
        output.key("permission")
        output.string(self.permission)
        output.comma()
        output.key("reason")
        if let reason = self.reason {
            output.open()
            output.key("on")
            reason.on.write(to: &output)
            output.comma()
            output.key("role")
            output.string(reason.role)
            output.comma()
            output.key("via_team")
            output.string(reason.viaTeam)
            output.close()
        } else {
            output.raw("null")
        }
        output.comma()
        output.key("resource")
        self.resource.write(to: &output)
        output.comma()
        output.key("revision")
        output.string(self.revision)
        output.comma()
        output.key("subject")
        self.subject.write(to: &output)
        if let trace = self.trace {
            output.comma()
            output.key("trace")
            output.list(trace) { $0.string($1) }
        }
        output.close()
    }
}

extension CheckResult.Reference: JSONWritable {
    func write(to output: inout JSONOutput) {
        output.open()
        output.key("id")
        output.string(self.id)
        output.comma()
        output.key("type")
        output.string(self.type)
        output.close()
    }
}

extension AuthzController.BatchResult: JSONWritable {
    func write(to output: inout JSONOutput) {
        output.open()
        output.key("results")
        output.list(self.results) { output, result in result.write(to: &output) }
        output.comma()
        output.key("revision")
        output.string(self.revision)
        output.close()
    }
}
