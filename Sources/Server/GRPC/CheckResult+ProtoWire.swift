internal import Authz
import Foundation

extension CheckResult.Reference {
    /// `ObjectReference`'s fields.
    func write(to output: inout ProtoOutput) {
        output.string(1, self.type)
        switch self.id {
        case .uuid(let id): output.uuid(2, id)
        case .text(let id): output.string(2, id)
        }
    }

    /// The first two fields of `Reason` and of `Grant`: a role, and where it is held.
    func write(role: String, to output: inout ProtoOutput) {
        output.string(1, role)
        var on = ProtoOutput(capacity: 64)
        self.write(to: &on)
        output.message(2, on)
    }
}

extension CheckResult.ReasonBody {
    /// `Reason`'s fields.
    func write(to output: inout ProtoOutput) {
        self.on.write(role: self.role, to: &output)
        if let team = self.viaTeam { output.string(3, team, present: true) }
    }
}

extension CheckResult.Grant {
    /// `Grant`'s fields.
    func write(to output: inout ProtoOutput) {
        self.on.write(role: self.role, to: &output)
    }
}
