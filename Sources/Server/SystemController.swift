internal import Authz
internal import Hummingbird
internal import Identity

/// `/healthz` (the process answers) and `/readyz` (the store answers and the policy is
/// loaded). Outside `/v1`, so plain JSON rather than the envelope: load balancers read them.
struct SystemController<Store: IdentityStore> {
    let service: IdentityService<Store>

    struct Status: ResponseEncodable {
        let status: String
        let revision: String?
    }

    func addRoutes(to routes: inout Routes) {
        routes.on(.get, "/healthz") { _, _ in Status(status: "ok", revision: nil) }
        routes.on(.get, "/readyz") { _, _ in
            do {
                let latest = try await self.service.store.changes(after: self.service.snapshot.revision, limit: 1)
                _ = latest
                return EditedResponse(status: .ok, response: Status(status: "ready", revision: String(self.service.snapshot.revision)))
            } catch {
                return EditedResponse(status: .serviceUnavailable, response: Status(status: "unavailable", revision: nil))
            }
        }
    }
}
