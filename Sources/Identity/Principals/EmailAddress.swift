/// Email comparison as invitations need it: the whole address, case-insensitively. (Local
/// parts are case-sensitive in theory; no mail provider treats them so, and an invitation
/// that fails on `Alice@` versus `alice@` helps nobody.)
public enum EmailAddress {
    public static func normalized(_ address: String) -> String {
        address.trimmingWhitespace().lowercased()
    }

    public static func matches(_ lhs: String, _ rhs: String) -> Bool {
        self.normalized(lhs) == self.normalized(rhs)
    }

    /// A minimal shape check: one `@` with text on both sides and a dot in the domain. Real
    /// validation is the identity provider's; this only catches typos in an invitation.
    public static func isPlausible(_ address: String) -> Bool {
        let parts = self.normalized(address).split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else {
            return false
        }
        return address.count <= 254 && !address.contains(where: \.isWhitespace)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
