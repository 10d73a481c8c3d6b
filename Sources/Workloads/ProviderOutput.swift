public import JSON

/// What a finished execution produced and what it consumed.
public struct ProviderOutput: Hashable, Sendable {
    public let text: String
    public let units: Int64

    public init(text: String, units: Int64) {
        self.text = text
        self.units = units
    }

    /// As stored and returned: `{"text": ...}`.
    public var json: JSONValue {
        .object(["text": .string(self.text)])
    }
}
