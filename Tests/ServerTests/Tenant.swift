import APIKeys
import Foundation
import Identity

/// An organization with a team and people in every position a guarded route must tell apart:
/// a member, a viewer, and an outsider who belongs to another organization.
struct Tenant: Sendable {
    let organization: UUID
    let team: UUID
    let other: UUID
    let memberID: UUID
    let memberKey: String
    let viewerKey: String
    let outsiderKey: String

    static let cheap = PasswordHasher(memoryKiB: 1024, iterations: 1, parallelism: 1)

    static func make(_ app: AuthenticatedApplication) async throws -> Tenant {
        let service = app.service
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let organization = try await service.createOrganization(name: "Acme", slug: "acme-\(suffix)", creator: app.adminID).0.id
        let other = try await service.createOrganization(name: "Other", slug: "other-\(suffix)", creator: app.adminID).0.id
        let team = try await service.createTeam(organization: organization, name: "core").0.id
        func person(_ name: String, in organization: UUID, role: String) async throws -> (UUID, String) {
            let id = try await service.createPrincipal(kind: .user, email: "\(name)-\(suffix)@example.com", name: name, externalSubject: nil).0.id
            _ = try await service.addMember(organization: organization, principal: id, role: role, actor: app.adminID)
            let key = try await service.createAPIKey(
                name: name,
                organization: nil,
                role: nil,
                scopes: nil,
                expiresAt: nil,
                actor: id,
                hasher: Self.cheap
            ).0.key
            return (id, key)
        }
        let (memberID, memberKey) = try await person("mia", in: organization, role: "member")
        let (_, viewerKey) = try await person("vic", in: organization, role: "viewer")
        let (_, outsiderKey) = try await person("otto", in: other, role: "owner")
        return Tenant(
            organization: organization,
            team: team,
            other: other,
            memberID: memberID,
            memberKey: memberKey,
            viewerKey: viewerKey,
            outsiderKey: outsiderKey
        )
    }
}

/// The events of a Server-Sent Events body, in order.
struct SSEEvent: Equatable {
    var id: String?
    var event: String?
    var data: String

    static func parse(_ text: String) -> [SSEEvent] {
        text.components(separatedBy: "\n\n").compactMap { block in
            var event = SSEEvent(data: "")
            var hasData = false
            // Unicode scalars, not characters: "\r\n" of the chunked framing is one character.
            for line in block.components(separatedBy: .newlines) {
                if line.hasPrefix("id: ") { event.id = String(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { event.event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") {
                    event.data = String(line.dropFirst(6))
                    hasData = true
                }
            }
            return hasData ? event : nil
        }
    }

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(self.data.utf8))) as? [String: Any] ?? [:]
    }
}
