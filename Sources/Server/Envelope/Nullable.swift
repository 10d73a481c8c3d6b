/// An optional field that is written as `null` when absent, where synthesized `Encodable`
/// would leave it out: every object of a kind then has the same keys, which clients (and the
/// OpenAPI document's `required` lists) rely on.
@propertyWrapper
struct Nullable<Value: Encodable & Sendable>: Encodable, Sendable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value = self.wrappedValue { try container.encode(value) } else { try container.encodeNil() }
    }
}
