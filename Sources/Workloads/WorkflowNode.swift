public import JSON

/// One step of a workflow: a provider call that starts when every node it depends on has
/// succeeded.
public struct WorkflowNode: Hashable, Sendable, Codable {
    public let id: String
    public let provider: String
    public let input: [String: JSONValue]
    public let dependsOn: [String]

    enum CodingKeys: String, CodingKey {
        case id, provider, input
        case dependsOn = "depends_on"
    }

    public init(id: String, provider: String, input: [String: JSONValue], dependsOn: [String]) {
        self.id = id
        self.provider = provider
        self.input = input
        self.dependsOn = dependsOn
    }
}
