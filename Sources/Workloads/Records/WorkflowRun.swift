public import Foundation

/// One execution of a workflow definition. Its node states are kept as JSON
/// (`{"node id": {"status", "output"?, "error"?}}`), rewritten as each node ends; the claim
/// (runner, lease) works as a job's does.
public struct WorkflowRun: Hashable, Sendable {
    public static let resourceType = "workflow_run"

    public let id: UUID
    public let organizationID: UUID
    public let teamID: UUID?
    public let definitionID: UUID
    public let createdBy: UUID?
    /// A JSON object: per-node input overrides, by node id.
    public let input: String
    public var status: WorkflowRunStatus
    /// A JSON object of node states.
    public var nodes: String
    public var error: String?
    public var runner: UUID?
    public var leaseUntil: Date?
    public let createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?

    public init(
        id: UUID,
        organizationID: UUID,
        teamID: UUID?,
        definitionID: UUID,
        createdBy: UUID?,
        input: String,
        status: WorkflowRunStatus,
        nodes: String,
        error: String? = nil,
        runner: UUID? = nil,
        leaseUntil: Date? = nil,
        createdAt: Date,
        startedAt: Date? = nil,
        finishedAt: Date? = nil
    ) {
        self.id = id
        self.organizationID = organizationID
        self.teamID = teamID
        self.definitionID = definitionID
        self.createdBy = createdBy
        self.input = input
        self.status = status
        self.nodes = nodes
        self.error = error
        self.runner = runner
        self.leaseUntil = leaseUntil
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}
