import JSON

/// The few JSON Schema shapes the API uses, written compactly; `OpenAPIDocument` turns them
/// into OpenAPI 3.1 (which is JSON Schema 2020-12).
indirect enum OpenAPISchema: Sendable {
    /// `length` and `pattern` state what the server accepts, so that every string the document
    /// admits is one the server takes (a client generator or fuzzer relies on exactly that).
    case string(format: String? = nil, description: String? = nil, length: ClosedRange<Int>? = nil, pattern: String? = nil)
    case enumeration([String])
    /// Exactly this string: the tag of one branch of a `oneOf`.
    case constant(String)
    case integer(minimum: Int? = nil, maximum: Int? = nil)
    case boolean
    case array(OpenAPISchema, maxItems: Int? = nil, minItems: Int? = nil)
    /// Exactly one of the branches.
    case oneOf([OpenAPISchema])
    /// Properties in order; the names in `required` must be present.
    case object([(String, OpenAPISchema)], required: [String] = [], additional: Bool = false)
    case reference(String)
    /// The schema or null: `anyOf`, not `oneOf`, since a schema that admits null itself (`any`)
    /// would make null match both and fail `oneOf`'s "exactly one".
    case nullable(OpenAPISchema)
    /// Only null: `data` of an error, or of a success that answers nothing.
    case null
    /// Anything JSON.
    case any
    /// A schema already written as JSON (a provider's input schema).
    case json(JSONValue)

    static let uuid = OpenAPISchema.string(format: "uuid")

    /// Itself or null, unless it already admits null.
    var orNull: OpenAPISchema {
        switch self {
        case .nullable, .null, .any: self
        default: .nullable(self)
        }
    }
    static let timestamp = OpenAPISchema.string(format: "date-time")

    var json: JSONValue {
        switch self {
        case .string(let format, let description, let length, let pattern):
            var members: [String: JSONValue] = ["type": .string("string")]
            if let format { members["format"] = .string(format) }
            if let description { members["description"] = .string(description) }
            if let length {
                members["minLength"] = .number(Double(length.lowerBound))
                members["maxLength"] = .number(Double(length.upperBound))
            }
            if let pattern { members["pattern"] = .string(pattern) }
            return .object(members)
        case .enumeration(let values):
            return .object(["type": .string("string"), "enum": .array(values.map(JSONValue.string))])
        case .constant(let value):
            return .object(["type": .string("string"), "const": .string(value)])
        case .oneOf(let branches):
            return .object(["oneOf": .array(branches.map(\.json))])
        case .integer(let minimum, let maximum):
            var members: [String: JSONValue] = ["type": .string("integer")]
            if let minimum { members["minimum"] = .number(Double(minimum)) }
            if let maximum { members["maximum"] = .number(Double(maximum)) }
            return .object(members)
        case .boolean:
            return .object(["type": .string("boolean")])
        case .array(let items, let maxItems, let minItems):
            var members: [String: JSONValue] = ["type": .string("array"), "items": items.json]
            if let maxItems { members["maxItems"] = .number(Double(maxItems)) }
            if let minItems { members["minItems"] = .number(Double(minItems)) }
            return .object(members)
        case .object(let properties, let required, let additional):
            // The server reads null as absent, so an optional field also admits null.
            let optional = Set(properties.map(\.0)).subtracting(required)
            var members: [String: JSONValue] = [
                "type": .string("object"),
                "properties": .object(
                    Dictionary(
                        properties.map { ($0.0, optional.contains($0.0) ? $0.1.orNull.json : $0.1.json) },
                        uniquingKeysWith: { first, _ in first }
                    )
                ),
                "additionalProperties": .bool(additional),
            ]
            if !required.isEmpty { members["required"] = .array(required.map(JSONValue.string)) }
            return .object(members)
        case .reference(let name):
            return .object(["$ref": .string("#/components/schemas/\(name)")])
        case .nullable(let schema):
            return .object(["anyOf": .array([schema.json, .object(["type": .string("null")])])])
        case .null:
            return .object(["type": .string("null")])
        case .any:
            return .object([:])
        case .json(let schema):
            return schema
        }
    }
}
