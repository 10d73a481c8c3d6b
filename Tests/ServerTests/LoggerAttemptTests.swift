import Identity
import Logging
import Synchronization
import Testing

/// `Logger.attempt` runs work whose failure must not fail its caller; no failure of it goes
/// unsaid.
@Suite struct LoggerAttemptTests {
    struct Failure: Error {}

    @Test func failuresAreWarnedAndCancellationsSaid() async {
        let logs = CapturedLogs()
        let logger = Logger(label: "test") { _ in CapturedLogs.Handler(sink: logs) }

        let value = await logger.attempt("count") { 42 }
        #expect(value == 42)
        #expect(logs.records.withLock { $0.isEmpty })

        let failed: Int? = await logger.attempt("write a row", metadata: ["row": "1"]) { throw Failure() }
        #expect(failed == nil)
        let cancelled: Int? = await logger.attempt("record a use") { throw CancellationError() }
        #expect(cancelled == nil)

        let records = logs.records.withLock { $0 }
        #expect(records.map(\.message) == ["could not write a row", "could not record a use: cancelled"])
        #expect(records.first?.metadata["row"] == "1")
        #expect(records.first?.metadata["error"]?.contains("Failure") == true)
    }
}
