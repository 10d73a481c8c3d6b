public import Foundation

/// A named graph of provider calls. The nodes are kept as the JSON the workloads module
/// validated (`[{id, provider, input, depends_on}]`); the store does not look inside.
public struct WorkflowDefinition: Hashable, Sendable {
    public static let resourceType = "workflow_definition"

    public let id: UUID
    public let organizationID: UUID
    public let name: String
    /// A JSON list of nodes.
    public let nodes: String
    public let createdBy: UUID?
    public let createdAt: Date

    public init(id: UUID, organizationID: UUID, name: String, nodes: String, createdBy: UUID?, createdAt: Date) {
        self.id = id
        self.organizationID = organizationID
        self.name = name
        self.nodes = nodes
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}
