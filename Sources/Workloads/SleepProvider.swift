public import JSON

/// Takes time: sleeps `input.milliseconds` (0 to 60,000) in ticks of 100 ms, one token and one
/// unit per tick begun; with `fail_with`, fails with that message after sleeping. What
/// cancellation, timeouts and failure handling are tested with.
public struct SleepProvider: Provider {
    public static let maximumMilliseconds = 60_000
    static let tick = 100

    public let descriptor = ProviderDescriptor(
        name: "sleep",
        description: "Sleeps `input.milliseconds` (0 to 60000), one token per 100 ms; `input.fail_with` makes it fail.",
        capabilities: ["execute", "stream", "estimate", "cancel"],
        unit: "100ms",
        pricePerUnit: 2
    )

    public init() {}

    public var inputSchema: JSONValue {
        .object([
            "type": .string("object"), "additionalProperties": .bool(false), "required": .array([.string("milliseconds")]),
            "properties": .object([
                "milliseconds": .object(["type": .string("integer"), "minimum": .number(0), "maximum": .number(Double(Self.maximumMilliseconds))]),
                "fail_with": .object(["type": .string("string"), "minLength": .number(1), "maxLength": .number(500)]),
            ]),
        ])
    }

    public func estimate(_ input: [String: JSONValue]) throws(ProviderError) -> Int64 {
        let (milliseconds, _) = try self.parameters(input)
        return Int64((milliseconds + Self.tick - 1) / Self.tick)
    }

    public func run(_ input: [String: JSONValue], emit: (String) async throws -> Void) async throws -> ProviderOutput {
        let (milliseconds, failure) = try self.parameters(input)
        var remaining = milliseconds
        var ticks: Int64 = 0
        while remaining > 0 {
            let step = min(remaining, Self.tick)
            try await Task.sleep(for: .milliseconds(step))
            remaining -= step
            ticks += 1
            try await emit("tick")
        }
        if let failure { throw ProviderError.failed(failure) }
        return ProviderOutput(text: "slept \(milliseconds) ms", units: ticks)
    }

    func parameters(_ input: [String: JSONValue]) throws(ProviderError) -> (milliseconds: Int, failure: String?) {
        try self.requireOnly(["milliseconds", "fail_with"], in: input)
        guard case .number(let number)? = input["milliseconds"] else {
            throw .invalidInput(field: "input.milliseconds", message: input["milliseconds"] == nil ? "is required" : "must be a number")
        }
        guard number == number.rounded(), (0...Double(Self.maximumMilliseconds)).contains(number) else {
            throw .invalidInput(field: "input.milliseconds", message: "must be a whole number from 0 to \(Self.maximumMilliseconds)")
        }
        switch input["fail_with"] {
        case nil: return (Int(number), nil)
        case .string(let message)? where (1...500).contains(message.count): return (Int(number), message)
        default: throw .invalidInput(field: "input.fail_with", message: "must be a string of 1 to 500 characters")
        }
    }
}
