/// An organization's unique, URL-safe handle: 2–63 characters of `a-z`, `0-9` and `-`, not
/// starting or ending with `-`.
public struct Slug: Hashable, Sendable, Codable, CustomStringConvertible {
    public let value: String

    public init(validating text: String, field: String = "slug") throws(IdentityError) {
        let scalars = Array(text.unicodeScalars)
        guard (2...63).contains(scalars.count) else {
            throw .invalid(field: field, message: "must be 2 to 63 characters")
        }
        guard scalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
            throw .invalid(field: field, message: "may contain only lower-case letters, digits and '-'")
        }
        guard scalars.first != "-", scalars.last != "-" else {
            throw .invalid(field: field, message: "must not start or end with '-'")
        }
        self.value = text
    }

    /// The slug a name suggests when none is given: `Acme Corp.` → `acme-corp`. Nil when the
    /// name has too few letters or digits to make one.
    public static func derived(from name: String) -> Slug? {
        try? Slug(validating: Self.letters(of: name))
    }

    /// The name's letters and digits in lower case, runs of anything else as one `-`, at most
    /// 50 characters (room for a suffix).
    public static func letters(of name: String) -> String {
        var output = ""
        var pendingDash = false
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingDash && !output.isEmpty { output.append("-") }
                output.unicodeScalars.append(scalar)
                pendingDash = false
            } else {
                pendingDash = true
            }
            if output.count >= 50 { break }
        }
        while output.hasSuffix("-") { output.removeLast() }
        return output
    }

    public var description: String { self.value }
}
