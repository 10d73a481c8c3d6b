internal import AuthzProto
internal import GRPCCore
internal import Identity

/// `grpc.health.v1.Health`, the protocol gRPC load balancers and probes speak: SERVING when
/// the store answers, as `/readyz` says 200. The server as a whole is `""`; the check API is
/// `authz.v1.AuthzService`; any other name is NOT_FOUND (Check) or SERVICE_UNKNOWN (Watch).
struct HealthGRPCService: Grpc_Health_V1_Health.SimpleServiceProtocol {
    let service: IdentityService
    /// How often Watch looks again; it writes only when the status changed.
    var interval: Duration = .seconds(1)

    static let services: Set = ["", "authz.v1.AuthzService"]

    func check(request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext) async throws -> Grpc_Health_V1_HealthCheckResponse {
        guard Self.services.contains(request.service) else {
            throw RPCError(code: .notFound, message: "unknown service '\(request.service)'")
        }
        return await self.status()
    }

    func watch(
        request: Grpc_Health_V1_HealthCheckRequest,
        response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
        context: ServerContext
    ) async throws {
        guard Self.services.contains(request.service) else {
            var unknown = Grpc_Health_V1_HealthCheckResponse()
            unknown.status = .serviceUnknown
            try await response.write(unknown)
            try await context.cancellation.cancelled
            return
        }
        var last: Grpc_Health_V1_HealthCheckResponse.ServingStatus?
        while !context.cancellation.isCancelled && !Task.isCancelled {
            let current = await self.status()
            if current.status != last {
                try await response.write(current)
                last = current.status
            }
            try await Task.sleep(for: self.interval)
        }
    }

    private func status() async -> Grpc_Health_V1_HealthCheckResponse {
        var response = Grpc_Health_V1_HealthCheckResponse()
        response.status = await self.service.storeAnswers() ? .serving : .notServing
        return response
    }
}
