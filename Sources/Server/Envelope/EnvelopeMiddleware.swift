internal import Authz
import Foundation
internal import HTTPTypes
public import Hummingbird
internal import Identity
import JSON
internal import Logging

/// Gives every request its ids and every failure its envelope. Errors from anywhere below —
/// routes, decoding, the domain, an unknown path — become `APIError`s here and nowhere else;
/// internal errors are logged with the request id and never shown.
public struct EnvelopeMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    let routes: RouteTable
    let revision: @Sendable () -> UInt64
    let metrics: ServiceMetrics
    /// Appends an audit record (of a refused request); the store behind it is the service's.
    let audit: @Sendable (AuditEvent) async -> Void
    var trustedProxies: Set<String> = []

    static let requestIDHeader = HTTPField.Name("X-Request-Id")!
    static let forwardedForHeader = HTTPField.Name("X-Forwarded-For")!
    static let traceparentHeader = HTTPField.Name("traceparent")!
    static let limitHeader = HTTPField.Name("RateLimit-Limit")!
    static let remainingHeader = HTTPField.Name("RateLimit-Remaining")!
    static let resetHeader = HTTPField.Name("RateLimit-Reset")!

    nonisolated(nonsending) public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let id = request.headers.value(of: Self.requestIDHeader).flatMap({ UUID(text: $0) }) {
            context.requestID = id
        }
        if let trace = request.headers.value(of: Self.traceparentHeader).flatMap(Self.traceID(fromTraceparent:)) {
            context.traceID = trace
        }
        context.userAgent = request.headers.value(of: .userAgent)
        if !self.trustedProxies.isEmpty, self.trustedProxies.contains(context.clientAddress) {
            context.clientAddress =
                Self.forwardedClient(request.headers[values: Self.forwardedForHeader], trusted: self.trustedProxies) ?? context.clientAddress
        }
        let started = ContinuousClock.now
        var response: Response
        do {
            // Everything below — Hummingbird's chain, authentication, the route, its body —
            // runs inline on the loop instead of as one job per async call.
            response = try await withTaskExecutorPreference(EventLoopGroupTaskExecutor.singleton) {
                try await next(request, context)
            }
        } catch {
            var apiError = APIError(error)
            if apiError.status == .notFound, error is HTTPError {
                let allowed = self.routes.allowedMethods(for: request.uri.path)
                if !allowed.isEmpty {
                    apiError = APIError(
                        .methodNotAllowed,
                        code: "method_not_allowed",
                        message: "\(request.method.rawValue) is not served here",
                        allow: allowed
                    )
                }
            }
            if apiError.status == .forbidden || apiError.denied != nil, let caller = context.trace.authentication {
                var refused = context
                refused.authentication = caller
                await self.audit(
                    Self.denial(
                        apiError,
                        method: request.method.rawValue,
                        route: context.endpointPath,
                        in: context.trace.place.organization,
                        by: refused.auditContext()
                    )
                )
            }
            if apiError.status.code >= 500 {
                context.logger.error("request failed", metadata: ["request_id": "\(context.requestID.text)", "error": "\(error)"])
            }
            response = try Envelope<EmptyPayload>.response(
                nil,
                status: apiError.status,
                error: apiError,
                request: request,
                context: context,
                revision: self.revision()
            )
        }
        // Appended, not set: only this middleware writes these, and setting searches and
        // rewrites the whole field list each time.
        response.headers.append(HTTPField(name: Self.requestIDHeader, value: context.requestID.text))
        if let limit = context.trace.rateLimit {
            response.headers.append(HTTPField(name: Self.limitHeader, value: String(limit.limit)))
            response.headers.append(HTTPField(name: Self.remainingHeader, value: String(limit.remaining)))
            response.headers.append(HTTPField(name: Self.resetHeader, value: String(limit.reset)))
            if !limit.allowed { response.headers.append(HTTPField(name: .retryAfter, value: String(limit.retryAfter))) }
        }
        let duration = ContinuousClock.now - started
        Self.log(request, response, context: context, duration: duration)
        self.metrics.requestFinished(
            method: request.method.rawValue,
            route: context.endpointPath ?? "unmatched",
            status: Int(response.status.code),
            duration: duration
        )
        return response
    }

    /// One line per request. The route is the matched pattern (`/v1/teams/:id`), never the
    /// raw path or query, so nothing a client put in a URL — ids, cursors, share tokens —
    /// and no header (keys travel in `Authorization`) ever reaches the log.
    /// The client behind trusted proxies: the right-most `X-Forwarded-For` address that is not
    /// itself a trusted proxy (addresses further left were written by the client and prove
    /// nothing).
    static func forwardedClient(_ values: [String], trusted: Set<String>) -> String? {
        let hops = values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.last { !trusted.contains($0) } ?? hops.first
    }

    static func log(_ request: Request, _ response: Response, context: Context, duration: Duration) {
        let milliseconds = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        context.logger.info(
            "request",
            metadata: [
                "request_id": "\(context.requestID.text)",
                "principal": "\(context.trace.authentication.map { $0.principal.id.text } ?? "-")",
                "method": "\(request.method.rawValue)",
                "route": "\(context.endpointPath ?? "unmatched")",
                "status": "\(response.status.code)",
                "duration_ms": "\(String(format: "%.3f", milliseconds))",
            ]
        )
    }

    /// The audit record of a refused request: what the evaluator refused when it was the
    /// evaluator (in that resource's organization), else the route (in the platform's log).
    /// A refusal belongs to the log of the organization it was about: the resource's, when the
    /// evaluator refused; else the one the request was found to be about (a domain rule, such
    /// as granting a role above one's own, refusing after the evaluator allowed); else the
    /// platform's.
    /// A gRPC call is recorded the same way, its method `gRPC` and its route the call's path.
    static func denial(_ error: APIError, method: String, route: String?, in organization: UUID? = nil, by who: AuditContext) -> AuditEvent {
        var data = ["method": method, "route": route ?? "unmatched", "status": String(error.status.code)]
        data["permission"] = error.denied?.permission
        return AuditEvent(
            organizationID: error.denied?.organizationID ?? organization,
            context: who,
            action: "request.denied",
            targetType: error.denied?.resourceType,
            targetID: error.denied?.resourceID,
            outcome: .denied,
            data: data,
            createdAt: Date()
        )
    }

    /// The trace id of a W3C `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`), as a UUID; nil
    /// for anything malformed or the all-zero id the spec forbids.
    static func traceID(fromTraceparent header: String) -> UUID? {
        let parts = header.split(separator: "-")
        guard parts.count == 4, parts[1].count == 32, parts[1] != String(repeating: "0", count: 32) else { return nil }
        let hex = parts[1].lowercased()
        guard hex.allSatisfy(\.isHexDigit) else { return nil }
        let chars = Array(hex)
        let dashed = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(chars[$0]) }.joined(separator: "-")
        return UUID(text: dashed)
    }
}

/// The `data` of a response that has none.
public struct EmptyPayload: Encodable, Sendable {}
