public import Logging

extension Logger {
    /// Runs work whose failure must not fail its caller (recording a key's last use, renewing
    /// a lease, an audit write after the answer is decided), and says so in the log when it
    /// fails, instead of dropping the error as `try?` would. Nil when it failed.
    @discardableResult
    nonisolated(nonsending) public func attempt<Result>(
        _ action: String,
        metadata: Logger.Metadata = [:],
        _ body: () async throws -> Result
    ) async -> Result? {
        do {
            return try await body()
        } catch is CancellationError {
            // Expected when the service stops or a caller goes away, so not a warning; still
            // said, since a silent cancellation once hid a store left inside a transaction.
            self.debug("could not \(action): cancelled", metadata: metadata)
            return nil
        } catch {
            var metadata = metadata
            metadata["error"] = "\(error)"
            self.warning("could not \(action)", metadata: metadata)
            return nil
        }
    }
}
