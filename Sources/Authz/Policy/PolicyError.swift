/// Every problem found in one pass over the policy files, in file and line order, so an
/// operator fixes them all at once instead of one per run.
public struct PolicyError: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [PolicyDiagnostic]

    public init(_ diagnostics: [PolicyDiagnostic]) {
        self.diagnostics = diagnostics.sorted { ($0.location, $0.message) < ($1.location, $1.message) }
    }

    public var description: String {
        self.diagnostics.map(\.description).joined(separator: "\n")
    }
}
