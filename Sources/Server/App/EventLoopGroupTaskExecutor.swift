internal import NIOCore
internal import NIOPosix

/// Runs a request's jobs on NIO's event loops as a *task executor*.
///
/// NIO, installed as Swift's global executor, runs global jobs as the event loop's serial
/// executor, so the runtime never sees itself on the generic executor: every call into a
/// nonisolated async function built without `nonisolated(nonsending)` — Hummingbird's
/// middleware chain and route closures, the request body's four iterator layers — is a
/// switch that enqueues a job on the loop, even when nothing waits. Under this executor's
/// preference both sides of such a call are the same executor, so the call runs inline and
/// only a real suspension enqueues a job. (Preferring it for the whole connection instead,
/// Hummingbird's HTTP loop and response writes included, measured slower: see BENCHMARKS.md.)
final class EventLoopGroupTaskExecutor: TaskExecutor {
    /// Over the group Hummingbird serves on by default.
    static let singleton = EventLoopGroupTaskExecutor(group: MultiThreadedEventLoopGroup.singleton)

    let group: MultiThreadedEventLoopGroup

    init(group: MultiThreadedEventLoopGroup) {
        self.group = group
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        // From one of the group's loops `any()` is that loop, so a request resumed by its
        // connection stays on the connection's loop.
        self.group.any().execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
