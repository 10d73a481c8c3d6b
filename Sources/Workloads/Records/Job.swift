public import Foundation

/// One submitted unit of provider work. The input and output are the provider's JSON, kept as
/// text; the estimate is fixed at submission, the usage written when it succeeds.
public struct Job: Hashable, Sendable {
    public static let resourceType = "job"

    public let id: UUID
    public let organizationID: UUID
    public let teamID: UUID?
    public let createdBy: UUID?
    public let provider: String
    /// A JSON object.
    public let input: String
    public var status: JobStatus
    public let estimatedUnits: Int64
    public let estimatedCost: Int64
    /// A JSON object, once it succeeded.
    public var output: String?
    /// Why it failed, in words fit for its owner (never a stack or a store error).
    public var error: String?
    /// The process running it and how long its claim lasts: a job whose claim ran out was
    /// left by a process that stopped, and is failed rather than left running for ever.
    public var runner: UUID?
    public var leaseUntil: Date?
    public let createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?

    public init(
        id: UUID,
        organizationID: UUID,
        teamID: UUID?,
        createdBy: UUID?,
        provider: String,
        input: String,
        status: JobStatus,
        estimatedUnits: Int64,
        estimatedCost: Int64,
        output: String? = nil,
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
        self.createdBy = createdBy
        self.provider = provider
        self.input = input
        self.status = status
        self.estimatedUnits = estimatedUnits
        self.estimatedCost = estimatedCost
        self.output = output
        self.error = error
        self.runner = runner
        self.leaseUntil = leaseUntil
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}
