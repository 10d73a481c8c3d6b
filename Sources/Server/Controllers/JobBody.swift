import Foundation
internal import Identity
import JSON
internal import Workloads

/// A job as the API shows it. Optionals are written as null: every job has the same fields.
struct JobBody: Encodable, Sendable {
    struct Estimate: Encodable, Sendable {
        let units: Int64
        let cost: Int64
    }

    let id: String
    let organizationID: String
    @Nullable var teamID: String?
    @Nullable var createdBy: String?
    let provider: String
    let input: JSONValue
    let status: String
    let costEstimate: Estimate
    @Nullable var output: JSONValue?
    @Nullable var error: String?
    let createdAt: String
    @Nullable var startedAt: String?
    @Nullable var finishedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, provider, input, status, output, error
        case organizationID = "organization_id"
        case teamID = "team_id"
        case createdBy = "created_by"
        case costEstimate = "cost_estimate"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    init(_ job: Job) {
        self.id = job.id.text
        self.organizationID = job.organizationID.text
        self.teamID = job.teamID?.text
        self.createdBy = job.createdBy?.text
        self.provider = job.provider
        self.input = JSONValue(text: job.input) ?? .null
        self.status = job.status.rawValue
        self.costEstimate = Estimate(units: job.estimatedUnits, cost: job.estimatedCost)
        self.output = job.output.flatMap { JSONValue(text: $0) }
        self.error = job.error
        self.createdAt = Timestamp.format(job.createdAt)
        self.startedAt = job.startedAt.map(Timestamp.format)
        self.finishedAt = job.finishedAt.map(Timestamp.format)
    }
}
