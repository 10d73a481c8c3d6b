/// The outcome of running test suites: counts, and each failing case by name and line.
public struct PolicyTestReport: Sendable {
    public struct Failure: Sendable, CustomStringConvertible {
        public let location: SourceLocation
        public let principal: String
        public let permission: String
        public let resource: String
        public let expectedAllowed: Bool
        public let denial: Denial?

        public var description: String {
            let expected = self.expectedAllowed ? "allowed" : "denied"
            let actual = self.expectedAllowed ? "denied (\(self.denial?.rawValue ?? "?"))" : "allowed"
            return "\(self.location): \(self.principal) \(self.permission) \(self.resource): expected \(expected), got \(actual)"
        }
    }

    public var passed = 0
    public var failures: [Failure] = []

    public init() {}

    public var summary: String { "\(self.passed) passed, \(self.failures.count) failed" }
}
