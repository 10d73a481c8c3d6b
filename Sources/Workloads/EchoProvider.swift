public import JSON

/// Returns its input text; each whitespace-separated word is a token and a unit.
public struct EchoProvider: Provider {
    public static let maximumLength = 100_000

    public let descriptor = ProviderDescriptor(
        name: "echo",
        description: "Returns `input.text`; every word is one token.",
        capabilities: ["execute", "stream", "estimate"],
        unit: "token",
        pricePerUnit: 1
    )

    public init() {}

    public var inputSchema: JSONValue {
        .object([
            "type": .string("object"), "additionalProperties": .bool(false), "required": .array([.string("text")]),
            "properties": .object(["text": .object(["type": .string("string"), "maxLength": .number(Double(Self.maximumLength))])]),
        ])
    }

    public func estimate(_ input: [String: JSONValue]) throws(ProviderError) -> Int64 {
        Int64(Self.words(try self.text(input)).count)
    }

    public func run(_ input: [String: JSONValue], emit: (String) async throws -> Void) async throws -> ProviderOutput {
        let text = try self.text(input)
        let words = Self.words(text)
        for word in words {
            try Task.checkCancellation()
            try await emit(word)
        }
        return ProviderOutput(text: text, units: Int64(words.count))
    }

    func text(_ input: [String: JSONValue]) throws(ProviderError) -> String {
        try self.requireOnly(["text"], in: input)
        guard case .string(let text)? = input["text"] else {
            throw .invalidInput(field: "input.text", message: input["text"] == nil ? "is required" : "must be a string")
        }
        guard text.count <= Self.maximumLength else {
            throw .invalidInput(field: "input.text", message: "must be at most \(Self.maximumLength) characters")
        }
        return text
    }

    static func words(_ text: String) -> [String] {
        text.split(whereSeparator: \.isWhitespace).map(String.init)
    }
}
