import ArgumentParser
import Authz
import Foundation
import Identity
import Logging
import PostgresNIO
import Stores

extension DatabaseURL {
    /// Runs `task` on the store the URL names (`DatabaseURL.withStore` in Stores); an
    /// unreachable PostgreSQL is told in one plain sentence.
    func withStore(logger: Logger, _ task: some StoreTask) async throws {
        do {
            try await self.withStore(logger: logger) { store in try await task.run(store, logger: logger) }
        } catch let error as DatabaseUnreachable {
            printError(error.description)
            throw ExitCode.failure
        }
    }

    /// `withStore`, with the schema brought up to date and the snapshot loaded.
    func withService(policy: Policy, logger: Logger, _ task: some ServiceTask) async throws {
        try await self.withStore(logger: logger, ServiceStart(policy: policy, task: task))
    }

    struct ServiceStart<Task: ServiceTask>: StoreTask {
        let policy: Policy
        let task: Task

        func run(_ store: any IdentityStore, logger: Logger) async throws {
            try await self.task.run(try await IdentityService.start(store: store, policy: self.policy), logger: logger)
        }
    }
}
