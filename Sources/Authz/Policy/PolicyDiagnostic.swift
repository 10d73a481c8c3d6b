/// One problem found in the policy files, printed as `file:line: message`.
public struct PolicyDiagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public let location: SourceLocation
    public let message: String

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(self.location): \(self.message)" }
}
