import Foundation
internal import Hummingbird
internal import Identity

/// `/v1/me`: who the caller is.
struct MeController {
    struct Me: Encodable, Sendable {
        let id: String
        let kind: String
        let email: String?
        let name: String?
        let platformAdmin: Bool
        let createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, kind, email, name
            case platformAdmin = "platform_admin"
            case createdAt = "created_at"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.id, forKey: .id)
            try container.encode(self.kind, forKey: .kind)
            try container.encode(self.email, forKey: .email)
            try container.encode(self.name, forKey: .name)
            try container.encode(self.platformAdmin, forKey: .platformAdmin)
            try container.encode(self.createdAt, forKey: .createdAt)
        }
    }

    let revision: @Sendable () -> UInt64

    func addRoutes(to routes: inout Routes) {
        routes.on(.get, "/v1/me") { request, context in
            let principal = try context.caller().principal
            let me = Me(
                id: principal.id.uuidString.lowercased(), kind: principal.kind.rawValue, email: principal.email, name: principal.name,
                platformAdmin: principal.isPlatformAdmin,
                createdAt: Timestamp.format(principal.createdAt)
            )
            return try Envelope.response(me, request: request, context: context, revision: self.revision())
        }
    }
}
