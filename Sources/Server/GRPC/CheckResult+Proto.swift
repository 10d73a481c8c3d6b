internal import AuthzProto
import Foundation
import JSON

extension CheckResult {
    /// The answer as the gRPC API gives it: the same decision, reason, roles and trace as the
    /// JSON answer, built from the same `CheckResult`, so the two cannot drift apart.
    /// With `echo` (the revision it was decided at), also what was asked.
    func message(echo revision: UInt64?) -> Authz_V1_CheckResponse {
        var message = Authz_V1_CheckResponse()
        message.allowed = self.allowed
        if let reason = self.reason { message.reason = reason.message }
        if let grants = self.grantableBy {
            message.grantableBy = grants.map(\.message)
        }
        if let trace = self.trace { message.trace = trace }
        if let revision {
            message.revision = revision
            message.permission = self.permission
            message.resource = self.resource.message
            message.subject = self.subject.message
        }
        return message
    }
}

extension CheckResult.ReasonBody {
    var message: Authz_V1_Reason {
        var message = Authz_V1_Reason()
        message.role = self.role
        message.on = self.on.message
        if let team = self.viaTeam { message.viaTeam = team }
        return message
    }
}

extension CheckResult.Grant {
    var message: Authz_V1_Grant {
        var message = Authz_V1_Grant()
        message.role = self.role
        message.on = self.on.message
        return message
    }
}

extension CheckResult.Reference {
    var message: Authz_V1_ObjectReference {
        var message = Authz_V1_ObjectReference()
        message.type = self.type
        switch self.id {
        case .uuid(let id): message.id = id.text
        case .text(let id): message.id = id
        }
        return message
    }
}
