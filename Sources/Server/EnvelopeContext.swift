/// `context` of the envelope: who asked, and about which tenant.
struct EnvelopeContext: Encodable, Sendable {
    var principalID: String?
    var organizationID: String?
    var teamID: String?

    enum CodingKeys: String, CodingKey {
        case principalID = "principal_id"
        case organizationID = "organization_id"
        case teamID = "team_id"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        // Present and null rather than absent: clients read these keys unconditionally.
        try container.encode(self.principalID, forKey: .principalID)
        try container.encode(self.organizationID, forKey: .organizationID)
        try container.encode(self.teamID, forKey: .teamID)
    }
}
