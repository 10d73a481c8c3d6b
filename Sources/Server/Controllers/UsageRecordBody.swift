import Foundation
internal import Identity
import JSON
internal import Workloads

/// A usage record as the API shows it; optionals are written as null.
struct UsageRecordBody: Encodable, Sendable {
    let id: String
    let organizationID: String
    @Nullable var teamID: String?
    @Nullable var principalID: String?
    let provider: String
    let units: Int64
    let cost: Int64
    @Nullable var jobID: String?
    @Nullable var runID: String?
    let createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, provider, units, cost
        case organizationID = "organization_id"
        case teamID = "team_id"
        case principalID = "principal_id"
        case jobID = "job_id"
        case runID = "run_id"
        case createdAt = "created_at"
    }

    init(_ record: UsageRecord) {
        self.id = record.id.text
        self.organizationID = record.organizationID.text
        self.teamID = record.teamID?.text
        self.principalID = record.principalID?.text
        self.provider = record.provider
        self.units = record.units
        self.cost = record.cost
        self.jobID = record.jobID?.text
        self.runID = record.runID?.text
        self.createdAt = Timestamp.format(record.createdAt)
    }
}
