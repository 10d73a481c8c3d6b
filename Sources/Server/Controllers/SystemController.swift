internal import Authz
internal import Hummingbird
internal import Identity
internal import NIOCore

/// `/healthz` (the process answers) and `/readyz` (the store answers and the policy is
/// loaded). Outside `/v1`, so plain JSON rather than the envelope: load balancers read them.
struct SystemController {
    let service: IdentityService
    let metrics: ServiceMetrics

    struct Status: ResponseEncodable {
        let status: String
        let revision: String?
    }

    func addRoutes(to routes: inout Routes) {
        // Counts and latencies only, nothing about who asked what: scraped from the private
        // network the service listens on (127.0.0.1 by default), without credentials.
        routes.on(.get, "/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: self.metrics.exposition()))
            )
        }
        routes.on(.get, "/healthz") { _, _ in Status(status: "ok", revision: nil) }
        routes.on(.get, "/readyz") { _, _ in
            guard await self.service.storeAnswers() else {
                return EditedResponse(status: .serviceUnavailable, response: Status(status: "unavailable", revision: nil))
            }
            return EditedResponse(status: .ok, response: Status(status: "ready", revision: String(self.service.snapshot.revision)))
        }
    }
}
