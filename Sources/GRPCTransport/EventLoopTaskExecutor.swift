internal import NIOCore

/// Runs a call's task on its connection's event loop. The frames a call reads arrive on that
/// loop and the frames it writes leave from it, so a call that prefers this executor reads its
/// request and writes its answer without a hop between threads, and its many small async
/// steps run inline instead of each being a job on some other loop.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.loop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
