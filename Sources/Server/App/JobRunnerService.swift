public import Identity
public import ServiceLifecycle
public import Workloads

/// The job runner as a service of the application: started with it, and on shutdown stopped
/// after recording the jobs it was running as failed, so none is left `running`.
public struct JobRunnerService: Service {
    let runner: JobRunner

    public init(runner: JobRunner) {
        self.runner = runner
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.runner.run()
        }
    }
}
