import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import Testing

@testable import Server

/// Every list is paginated, the caller's own memberships too (docs/API.md §1).
@Suite struct MePaginationTests {
    @Test func organizationsAndTeamsComeInPages() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            var organizations: [UUID] = []
            for name in ["One", "Two", "Three"] {
                let organization = try await app.service.createOrganization(name: name, slug: nil, creator: app.adminID).0.id
                organizations.append(organization)
                _ = try await app.service.createTeam(organization: organization, name: "Team")
            }
            for team in try await app.service.teams(organization: organizations[0], after: nil, limit: 10) {
                _ = try await app.service.setTeamMember(team: team.id, principal: app.adminID, role: "maintainer", actor: app.adminID)
            }
            let (_, _, first) = try await client.send(.get, "/v1/me/organizations?limit=2", bearer: app.adminKey)
            let next = try #require((first["links"] as? [String: Any])?["next"] as? String)
            let (_, _, second) = try await client.send(.get, next, bearer: app.adminKey)
            let ids = [first, second].flatMap {
                (data($0)["items"] as? [[String: Any]] ?? []).compactMap { ($0["organization"] as? [String: Any])?["id"] as? String }
            }
            #expect(ids == organizations.map { $0.uuidString.lowercased() }.sorted())
            #expect((second["links"] as? [String: Any])?["next"] == nil)
            let (_, _, teams) = try await client.send(.get, "/v1/me/teams?limit=1", bearer: app.adminKey)
            #expect((data(teams)["items"] as? [Any])?.count == 1)
            let (status, _, bad) = try await client.send(.get, "/v1/me/teams?limit=0", bearer: app.adminKey)
            #expect(status == .badRequest && details(bad) == ["limit: must be a whole number from 1 to 200"])
        }
    }
}

/// `last_used_at` costs nothing on the hot path: at most one write a minute per key.
@Suite struct UseThrottleTests {
    @Test func onceAnIntervalPerKey() {
        let throttle = UseThrottle(interval: 60)
        let (one, two) = (UUID(), UUID())
        let start = Date()
        #expect(throttle.isDue(one, at: start))
        #expect(!throttle.isDue(one, at: start.addingTimeInterval(59)))
        #expect(throttle.isDue(two, at: start.addingTimeInterval(59)))
        #expect(throttle.isDue(one, at: start.addingTimeInterval(60)))
    }
}
