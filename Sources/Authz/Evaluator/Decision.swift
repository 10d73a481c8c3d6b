/// The answer to one check. Exactly one of `reason` and `denial` is set.
public struct Decision: Hashable, Sendable {
    public let reason: Reason?
    public let denial: Denial?

    public var allowed: Bool { self.reason != nil }

    static func allow(_ reason: Reason) -> Decision { Decision(reason: reason, denial: nil) }
    static func deny(_ denial: Denial) -> Decision { Decision(reason: nil, denial: denial) }
}
