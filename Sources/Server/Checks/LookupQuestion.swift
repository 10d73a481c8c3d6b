/// What the HTTP and gRPC lookups need to know of a parsed lookup, whichever it is, to answer
/// it the same way: the revision to wait for, and the type of what it lists.
protocol LookupQuestion {
    var minimumRevision: UInt64? { get }
    var itemType: String { get }
}
