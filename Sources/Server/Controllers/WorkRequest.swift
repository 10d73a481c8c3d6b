internal import Authz
import Foundation
internal import Hummingbird
import JSON

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

    func authorize(_ permission: String, caller: Authentication, _ authorizer: Authorizer) throws {
        try authorizer.require(permission, inOrganization: self.organization, team: self.team, caller: caller)
    }
}
