internal import AuthzProto
internal import GRPCCore
internal import GRPCProtobuf
internal import Identity
internal import SwiftProtobuf

extension AuthzGRPCService {
    /// The methods of `authz.v1.AuthzService`, registered by hand rather than through the
    /// generated service protocol so that `CheckBatch` can read and write its messages' bytes
    /// itself (`CheckBatchDeserializer`, `CheckBatchSerializer`); the others use
    /// SwiftProtobuf's coders, as the generated registration does.
    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        Self.unary(&router, Authz_V1_AuthzService.Method.Check.descriptor, self.check)
        Self.unary(
            &router,
            Authz_V1_AuthzService.Method.CheckBatch.descriptor,
            deserializer: CheckBatchDeserializer(policy: self.service.policy),
            serializer: CheckBatchSerializer(),
            self.checkBatch
        )
        Self.unary(&router, Authz_V1_AuthzService.Method.LookupResources.descriptor, self.lookupResources)
        Self.unary(&router, Authz_V1_AuthzService.Method.LookupSubjects.descriptor, self.lookupSubjects)
        router.registerHandler(
            forMethod: Authz_V1_AuthzService.Method.Watch.descriptor,
            deserializer: ProtobufDeserializer<Authz_V1_WatchRequest>(),
            serializer: ProtobufSerializer<Authz_V1_WatchResponse>(),
            handler: { request, context in
                try await self.watch(request: ServerRequest(stream: request), context: context)
            }
        )
    }

    /// A unary method with SwiftProtobuf's coders.
    private static func unary<Input: SwiftProtobuf.Message, Output: SwiftProtobuf.Message, Transport: ServerTransport>(
        _ router: inout RPCRouter<Transport>,
        _ method: MethodDescriptor,
        _ handler: @escaping @Sendable (ServerRequest<Input>, ServerContext) async throws -> ServerResponse<Output>
    ) {
        Self.unary(&router, method, deserializer: ProtobufDeserializer<Input>(), serializer: ProtobufSerializer<Output>(), handler)
    }

    private static func unary<Input: Sendable, Output: Sendable, Transport: ServerTransport>(
        _ router: inout RPCRouter<Transport>,
        _ method: MethodDescriptor,
        deserializer: some MessageDeserializer<Input>,
        serializer: some MessageSerializer<Output>,
        _ handler: @escaping @Sendable (ServerRequest<Input>, ServerContext) async throws -> ServerResponse<Output>
    ) {
        router.registerHandler(forMethod: method, deserializer: deserializer, serializer: serializer) { request, context in
            StreamingServerResponse(single: try await handler(ServerRequest(stream: request), context))
        }
    }
}
