extension String {
    /// Without the spaces, tabs and line breaks (CR, LF) around it: exactly the characters the
    /// OpenAPI document's name pattern (`[^ \t\r\n]`) treats as blank, so the document and the
    /// server agree on which names are empty.
    public func trimmingBlank() -> String {
        let scalars = self.unicodeScalars
        let blank: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = scalars.firstIndex(where: { !blank($0) }), let end = scalars.lastIndex(where: { !blank($0) }) else { return "" }
        return String(scalars[start...end])
    }

    /// Its length as JSON Schema counts it (`maxLength`): in Unicode scalars.
    public var scalarCount: Int { self.unicodeScalars.count }
}
