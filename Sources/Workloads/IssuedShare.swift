public import Identity

/// A share as created: the record and its token, which is shown this once.
public struct IssuedShare: Sendable {
    public let share: Share
    public let token: String
}
