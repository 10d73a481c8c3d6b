import Foundation
internal import Identity
import JSON
internal import Workloads

/// A workflow run as the API shows it, with the state of each node.
struct WorkflowRunBody: Encodable, Sendable {
    let id: String
    let organizationID: String
    @Nullable var teamID: String?
    let definitionID: String
    @Nullable var createdBy: String?
    let input: JSONValue
    let status: String
    let nodes: [String: NodeState]
    @Nullable var error: String?
    let createdAt: String
    @Nullable var startedAt: String?
    @Nullable var finishedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, input, status, nodes, error
        case organizationID = "organization_id"
        case teamID = "team_id"
        case definitionID = "definition_id"
        case createdBy = "created_by"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    init(_ run: WorkflowRun) {
        self.id = run.id.text
        self.organizationID = run.organizationID.text
        self.teamID = run.teamID?.text
        self.definitionID = run.definitionID.text
        self.createdBy = run.createdBy?.text
        self.input = JSONValue(text: run.input) ?? .object([:])
        self.status = run.status.rawValue
        self.nodes = run.nodeStates
        self.error = run.error
        self.createdAt = Timestamp.format(run.createdAt)
        self.startedAt = run.startedAt.map(Timestamp.format)
        self.finishedAt = run.finishedAt.map(Timestamp.format)
    }
}
