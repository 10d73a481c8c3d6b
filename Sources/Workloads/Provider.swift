public import JSON

/// A backend that does work for jobs, workflow nodes and direct executions. The built-in ones
/// run offline and deterministically; a provider calling a real HTTP API conforms the same way
/// and is added to the catalog.
public protocol Provider: Sendable {
    var descriptor: ProviderDescriptor { get }

    /// The units `input` will consume, known before running: what a job's estimate and
    /// `/v1/providers/estimate` answer. Throws for input the provider cannot take.
    func estimate(_ input: [String: JSONValue]) throws(ProviderError) -> Int64

    /// Does the work, handing each token to `emit` as it is produced (the streaming route
    /// forwards them; others ignore them). Stops with `CancellationError` when its task is
    /// cancelled.
    func run(_ input: [String: JSONValue], emit: (String) async throws -> Void) async throws -> ProviderOutput

    /// The JSON Schema of the input it takes, exactly what `estimate` and `run` accept: the
    /// OpenAPI document states it, so clients and fuzzers know what a valid input is.
    var inputSchema: JSONValue { get }
}

extension Provider {
    /// Rejects fields the provider does not know, as the API rejects unknown body fields.
    func requireOnly(_ allowed: Set<String>, in input: [String: JSONValue]) throws(ProviderError) {
        if let unknown = input.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .invalidInput(field: "input.\(unknown)", message: "is not a field of the \(self.descriptor.name) provider")
        }
    }
}
