internal import AuthzProto
internal import GRPCCore
internal import GRPCProtobuf
internal import Identity

extension AuthzGRPCService {
    /// The methods of `authz.v1.AuthzService`, registered by hand rather than through the
    /// generated service protocol so that `CheckBatch` can read and write its messages' bytes
    /// itself (`CheckBatchDeserializer`, `CheckBatchSerializer`); the others use
    /// SwiftProtobuf's coders, as the generated registration does.
    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(
            forMethod: Authz_V1_AuthzService.Method.Check.descriptor,
            deserializer: ProtobufDeserializer<Authz_V1_CheckRequest>(),
            serializer: ProtobufSerializer<Authz_V1_CheckResponse>(),
            handler: { request, context in
                StreamingServerResponse(single: try await self.check(request: ServerRequest(stream: request), context: context))
            }
        )
        router.registerHandler(
            forMethod: Authz_V1_AuthzService.Method.CheckBatch.descriptor,
            deserializer: CheckBatchDeserializer(policy: self.service.policy),
            serializer: CheckBatchSerializer(),
            handler: { request, context in
                StreamingServerResponse(single: try await self.checkBatch(request: ServerRequest(stream: request), context: context))
            }
        )
        router.registerHandler(
            forMethod: Authz_V1_AuthzService.Method.LookupResources.descriptor,
            deserializer: ProtobufDeserializer<Authz_V1_LookupResourcesRequest>(),
            serializer: ProtobufSerializer<Authz_V1_LookupResourcesResponse>(),
            handler: { request, context in
                StreamingServerResponse(single: try await self.lookupResources(request: ServerRequest(stream: request), context: context))
            }
        )
        router.registerHandler(
            forMethod: Authz_V1_AuthzService.Method.LookupSubjects.descriptor,
            deserializer: ProtobufDeserializer<Authz_V1_LookupSubjectsRequest>(),
            serializer: ProtobufSerializer<Authz_V1_LookupSubjectsResponse>(),
            handler: { request, context in
                StreamingServerResponse(single: try await self.lookupSubjects(request: ServerRequest(stream: request), context: context))
            }
        )
        router.registerHandler(
            forMethod: Authz_V1_AuthzService.Method.Watch.descriptor,
            deserializer: ProtobufDeserializer<Authz_V1_WatchRequest>(),
            serializer: ProtobufSerializer<Authz_V1_WatchResponse>(),
            handler: { request, context in
                try await self.watch(request: ServerRequest(stream: request), context: context)
            }
        )
    }
}
