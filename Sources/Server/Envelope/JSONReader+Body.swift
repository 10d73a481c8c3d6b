package import JSON

extension JSONReader {
    /// Parses the body; anything but a JSON document is a validation error on the body itself.
    static func parse(_ body: [UInt8]) throws -> JSONValue {
        do {
            return try JSONParser.parse(body)
        } catch {
            if let duplicate = error.duplicateKey {
                throw APIError.validation([FieldError(field: duplicate, message: "is given more than once")])
            }
            throw APIError.validation([FieldError(field: "", message: "the body is not valid JSON")])
        }
    }
}
