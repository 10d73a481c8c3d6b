internal import HTTPTypes

extension HTTPFields {
    /// The value of a field, as `self[name]` gives it, without the subscript's lazy join: that
    /// costs a generic metadata lookup and a new string on every call, and the middlewares
    /// read five fields on every request. A field sent more than once is joined as the
    /// subscript joins it.
    func value(of name: HTTPField.Name) -> String? {
        var found: String?
        for field in self where field.name == name {
            guard found == nil else { return self[name] }
            found = field.value
        }
        return found
    }
}
