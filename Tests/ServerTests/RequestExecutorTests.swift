import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing

@testable import Server

/// Requests run on NIO's event loops under a task-executor preference, so Hummingbird's and
/// NIO's nonisolated async calls run inline instead of as one job each (BENCHMARKS.md, HTTP
/// step 10).
@Suite struct RequestExecutorTests {
    @Test func jobsRunOnTheGroupsLoopsAcrossSuspensions() async {
        #expect(MultiThreadedEventLoopGroup.currentEventLoop == nil)
        await withTaskExecutorPreference(EventLoopGroupTaskExecutor.singleton) {
            let first = MultiThreadedEventLoopGroup.currentEventLoop
            #expect(first != nil)
            // A suspension comes back through the executor, onto the loop it left.
            await Task.yield()
            #expect(MultiThreadedEventLoopGroup.currentEventLoop === first)
            // A child task inherits the preference.
            let child = await Task { MultiThreadedEventLoopGroup.currentEventLoop != nil }.value
            let structured = await withTaskGroup(of: Bool.self) { group in
                group.addTask { MultiThreadedEventLoopGroup.currentEventLoop != nil }
                return await group.next() ?? false
            }
            #expect(structured)
            // An unstructured task does not: it is not part of the request.
            #expect(child == false)
        }
    }

    @Test func routesRunOnTheEventLoops() async throws {
        try await AuthenticatedApplication.withApplication { _, app in
            let (router, _) = buildRouter(service: app.service)
            router.get("/probe") { _, _ in MultiThreadedEventLoopGroup.currentEventLoop == nil ? "pool" : "loop" }
            try await Application(router: router).test(.router) { client in
                try await client.execute(uri: "/probe", method: .get) { response in
                    #expect(String(buffer: response.body) == "loop")
                }
            }
        }
    }
}
