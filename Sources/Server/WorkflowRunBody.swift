import Foundation
internal import Identity
internal import Workloads

/// A workflow run as the API shows it, with the state of each node.
struct WorkflowRunBody: Encodable, Sendable {
    let id: String
    let organizationID: String
    let teamID: String?
    let definitionID: String
    let createdBy: String?
    let input: JSONValue
    let status: String
    let nodes: [String: NodeState]
    let error: String?
    let createdAt: String
    let startedAt: String?
    let finishedAt: String?

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

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.organizationID, forKey: .organizationID)
        try container.encode(self.teamID, forKey: .teamID)
        try container.encode(self.definitionID, forKey: .definitionID)
        try container.encode(self.createdBy, forKey: .createdBy)
        try container.encode(self.input, forKey: .input)
        try container.encode(self.status, forKey: .status)
        try container.encode(self.nodes, forKey: .nodes)
        try container.encode(self.error, forKey: .error)
        try container.encode(self.createdAt, forKey: .createdAt)
        try container.encode(self.startedAt, forKey: .startedAt)
        try container.encode(self.finishedAt, forKey: .finishedAt)
    }
}
