/// One route as the OpenAPI document describes it. Paths are written as the router writes
/// them (`/v1/teams/:id`); the document renders them as `{id}`.
struct OpenAPIOperation: Sendable {
    enum Kind: Sendable {
        /// A `/v1` route: bearer authentication, the envelope, rate-limit headers.
        case enveloped
        /// `/healthz`, `/readyz`: plain JSON for load balancers.
        case plainJSON
        /// `/metrics`, `/docs`, `/openapi.json`.
        case text(String)
        /// A `/v1` route answering `text/event-stream`; errors before the stream starts are
        /// enveloped.
        case eventStream(String)
        /// A `/v1` route that upgrades to a WebSocket.
        case webSocket(String)
        /// A `/v1` route answering raw bytes (with `ETag`; 304 to `If-None-Match`).
        case download
        /// A `/v1` route in the envelope that needs no credential (public share links).
        case publicEnveloped
    }

    let method: String
    let path: String
    let tag: String
    let summary: String
    var description: String = ""
    var kind: Kind = .enveloped
    /// The permission the evaluator checks, when there is one.
    var permission: String?
    var query: [(name: String, schema: OpenAPISchema, description: String)] = []
    var body: OpenAPISchema?
    /// The body is the raw bytes of a file, not JSON.
    var rawBody = false
    var bodyRequired = true
    /// What `data` holds on success.
    var data: OpenAPISchema?
    var status = 200
    /// The error statuses besides those every `/v1` route can answer (400, 401, 429, 500, 503).
    var errors: [Int] = []
    var paginated = false
    /// What the cursor of a paginated route is: the id of the previous page's last item, or
    /// for the audit log its sequence number.
    var cursor = OpenAPISchema.uuid
    var idempotent = false
}
