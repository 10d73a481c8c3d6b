import Foundation
import Identity
import Logging
import Stores
import Workloads

/// Writes a large world straight into a store, for `scripts/scale`: ORGANIZATIONS
/// organizations, each with MEMBERS members (one owner, the rest admin, member or viewer),
/// TEAMS teams with ten members each, ten finished jobs per team and twenty assets per
/// organization (records only). The same shape as the evaluator benchmark's synthetic world.
///
/// Usage: authz-scale DATABASE_URL ORGANIZATIONS MEMBERS TEAMS SAMPLE_FILE
/// SAMPLE_FILE receives up to 2,000 lines `organization team principal` (the principal a
/// member of that organization and team) for the load that follows.
/// Rows go in through the store's own statements, a few organizations per transaction, each
/// transaction one change-log revision (an `organizationCreated` entry per organization); a
/// server started on the store afterwards loads the rows into its snapshot at the latest
/// revision, as it would any store's.
@main
struct ScaleWorld {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 6, let organizations = Int(arguments[2]), let members = Int(arguments[3]), let teams = Int(arguments[4]),
            organizations > 0, members > 0, teams >= 0
        else {
            FileHandle.standardError.write(Data("usage: authz-scale DATABASE_URL ORGANIZATIONS MEMBERS TEAMS SAMPLE_FILE\n".utf8))
            exit(2)
        }
        let url = try DatabaseURL(parsing: arguments[1])
        let sample = arguments[5]
        try await url.withStore(logger: Logger(label: "authz.scale")) { store in
            try await Self.seed(store, organizations: organizations, members: members, teams: teams, sample: sample)
        }
    }

    static func seed(_ store: any IdentityStore, organizations: Int, members: Int, teams: Int, sample: String) async throws {
        try await store.migrate()
        let started = ContinuousClock.now
        let now = Date()
        let batch = max(1, 20_000 / (members + teams * 12 + 20))
        var written = 0
        var lines: [String] = []
        let every = max(1, organizations / 2_000)
        while written < organizations {
            let range = written..<min(organizations, written + batch)
            let (picked, _) = try await store.write { transaction in
                var picked: [String] = []
                var created: [ChangeLogEntry] = []
                let workloads = try IdentityService.workloads(transaction)
                for number in range {
                    let organization = UUID.timeOrdered(at: now)
                    try await transaction.insertOrganization(
                        Organization(
                            id: organization,
                            name: "Org \(organization.uuidString.prefix(8))",
                            slug: try Slug(validating: "o-\(organization.uuidString.lowercased())"),
                            createdAt: now
                        )
                    )
                    var people: [UUID] = []
                    defer { created.append(.organizationCreated(organization: organization, owner: people[0], ownerRole: "owner")) }
                    for index in 0..<members {
                        let principal = UUID.timeOrdered(at: now)
                        people.append(principal)
                        try await transaction.insertPrincipal(
                            Principal(
                                id: principal,
                                kind: .user,
                                email: "u\(principal.uuidString.lowercased())@example.com",
                                name: "User \(index)",
                                externalSubject: nil,
                                isPlatformAdmin: false,
                                createdAt: now
                            )
                        )
                        let role = index == 0 ? "owner" : ["admin", "member", "member", "member", "viewer"][index % 5]
                        try await transaction.insertMembership(
                            Membership(organizationID: organization, principalID: principal, role: role, createdAt: now)
                        )
                    }
                    for index in 0..<teams {
                        let team = UUID.timeOrdered(at: now)
                        try await transaction.insertTeam(Team(id: team, organizationID: organization, name: "Team \(index)", createdAt: now))
                        for offset in 0..<min(10, members) {
                            let principal = people[(index * 7 + offset * 13) % people.count]
                            try await transaction.upsertTeamMember(
                                TeamMember(teamID: team, principalID: principal, role: offset == 0 ? "maintainer" : "member")
                            )
                            if index == 0, offset == 1, number % every == 0 {
                                picked.append(
                                    "\(organization.uuidString.lowercased()) \(team.uuidString.lowercased()) \(principal.uuidString.lowercased())"
                                )
                            }
                        }
                        for offset in 0..<10 {
                            try await workloads.insertJob(
                                Job(
                                    id: UUID.timeOrdered(at: now),
                                    organizationID: organization,
                                    teamID: team,
                                    createdBy: people[(index + offset) % people.count],
                                    provider: "echo",
                                    input: "{}",
                                    status: .succeeded,
                                    estimatedUnits: 1,
                                    estimatedCost: 1,
                                    output: "{}",
                                    createdAt: now,
                                    startedAt: now,
                                    finishedAt: now
                                )
                            )
                        }
                    }
                    for index in 0..<20 {
                        try await workloads.insertAsset(
                            Asset(
                                id: UUID.timeOrdered(at: now),
                                organizationID: organization,
                                teamID: nil,
                                createdBy: people[index % people.count],
                                name: "asset-\(index).bin",
                                contentType: "application/octet-stream",
                                size: 1,
                                sha256: String(repeating: "0", count: 64),
                                createdAt: now
                            )
                        )
                    }
                }
                // One change-log entry per organization: a store whose log is empty reads as
                // empty to a starting server, whatever its tables hold.
                return (picked, created)
            }
            lines += picked
            written = range.upperBound
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: sample, atomically: true, encoding: .utf8)
        let elapsed = ContinuousClock.now - started
        print("seeded \(organizations) organizations × \(members) members × \(teams) teams in \(elapsed)")
    }
}
