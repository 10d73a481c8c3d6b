public import Foundation

/// One page of a lookup, in ascending id order; `next` is the cursor for the following page.
public struct LookupPage: Hashable, Sendable {
    public let ids: [UUID]
    /// The last id of this page when more remain; pass it as `after` to continue.
    public let next: UUID?
}
