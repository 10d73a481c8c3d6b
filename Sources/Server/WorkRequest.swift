internal import Authz
import Foundation
internal import Hummingbird
internal import Workloads

/// The body shared by job submission and direct provider execution:
/// `{organization_id, team_id?, provider, input}`.
struct WorkRequest: Sendable {
    let organization: UUID
    let team: UUID?
    let provider: String
    let input: [String: JSONValue]

    static func read(_ request: Request, _ context: AppRequestContext, teamAllowed: Bool = true) async throws -> WorkRequest {
        var reader = JSONReader()
        let allowed: Set<String> = teamAllowed ? ["organization_id", "team_id", "provider", "input"] : ["organization_id", "provider", "input"]
        let fields = reader.object(try await context.jsonBody(of: request), at: "", allowed: allowed)
        let organization = reader.uuid(fields, "organization_id", at: "")
        let team = reader.uuid(fields, "team_id", at: "", required: false)
        let provider = reader.string(fields, "provider", at: "")
        var input: [String: JSONValue]?
        switch fields?["input"] {
        case .object(let members)?: input = members
        case nil, .null?: if fields != nil { reader.problem("input", "is required") }
        case let other?: reader.problem("input", "must be an object, not \(other.kind)")
        }
        guard reader.problems.isEmpty, let organization, let provider, let input else { throw APIError.validation(reader.problems) }
        return WorkRequest(organization: organization, team: team, provider: provider, input: input)
    }

    /// `permission` on the team when one is named (it must be of the organization), otherwise
    /// on the organization.
    func authorize(_ permission: String, caller: Authentication, _ authorizer: Authorizer) throws {
        if let team = self.team {
            guard authorizer.snapshot.resolve(.stored(type: authorizer.snapshot.policy.teamType, id: team))?.organization == self.organization else {
                // A team of another organization, or none: nothing to reveal.
                try authorizer.require(permission, on: authorizer.organization(self.organization), caller: caller)
                throw APIError.notFound("no such team")
            }
            try authorizer.require(permission, on: .stored(type: authorizer.snapshot.policy.teamType, id: team), caller: caller)
        } else {
            try authorizer.require(permission, on: authorizer.organization(self.organization), caller: caller)
        }
    }
}
