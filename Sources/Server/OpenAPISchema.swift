internal import Workloads
/// The few JSON Schema shapes the API uses, written compactly; `OpenAPIDocument` turns them
/// into OpenAPI 3.1 (which is JSON Schema 2020-12).
indirect enum OpenAPISchema: Sendable {
    case string(format: String? = nil, description: String? = nil)
    case enumeration([String])
    case integer(minimum: Int? = nil, maximum: Int? = nil)
    case boolean
    case array(OpenAPISchema, maxItems: Int? = nil)
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

    static let uuid = OpenAPISchema.string(format: "uuid")
    static let timestamp = OpenAPISchema.string(format: "date-time")

    var json: JSONValue {
        switch self {
        case .string(let format, let description):
            var members: [String: JSONValue] = ["type": .string("string")]
            if let format { members["format"] = .string(format) }
            if let description { members["description"] = .string(description) }
            return .object(members)
        case .enumeration(let values):
            return .object(["type": .string("string"), "enum": .array(values.map(JSONValue.string))])
        case .integer(let minimum, let maximum):
            var members: [String: JSONValue] = ["type": .string("integer")]
            if let minimum { members["minimum"] = .number(Double(minimum)) }
            if let maximum { members["maximum"] = .number(Double(maximum)) }
            return .object(members)
        case .boolean:
            return .object(["type": .string("boolean")])
        case .array(let items, let maxItems):
            var members: [String: JSONValue] = ["type": .string("array"), "items": items.json]
            if let maxItems { members["maxItems"] = .number(Double(maxItems)) }
            return .object(members)
        case .object(let properties, let required, let additional):
            var members: [String: JSONValue] = [
                "type": .string("object"),
                "properties": .object(Dictionary(properties.map { ($0.0, $0.1.json) }, uniquingKeysWith: { first, _ in first })),
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
        }
    }
}
