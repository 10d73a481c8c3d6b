public import JSON

/// Where one node of a run is: `pending`, `running`, `succeeded` (with its output), `failed`
/// (with its error) or `cancelled`.
public struct NodeState: Hashable, Sendable, Codable {
    public var status: String
    public var output: JSONValue?
    public var error: String?

    public init(status: String, output: JSONValue? = nil, error: String? = nil) {
        self.status = status
        self.output = output
        self.error = error
    }
}
