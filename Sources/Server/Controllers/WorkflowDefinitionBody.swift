import Foundation
internal import Identity
import JSON
internal import Workloads

/// A workflow definition as the API shows it.
struct WorkflowDefinitionBody: Encodable, Sendable {
    let id: String
    let organizationID: String
    let name: String
    let nodes: [WorkflowNode]
    @Nullable var createdBy: String?
    let createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, name, nodes
        case organizationID = "organization_id"
        case createdBy = "created_by"
        case createdAt = "created_at"
    }

    init(_ definition: WorkflowDefinition) {
        self.id = definition.id.text
        self.organizationID = definition.organizationID.text
        self.name = definition.name
        self.nodes = definition.graph
        self.createdBy = definition.createdBy?.text
        self.createdAt = Timestamp.format(definition.createdAt)
    }
}
