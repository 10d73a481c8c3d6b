/// One line of a usage summary: the group's key (a provider name, a team id or "none", a UTC
/// day as `YYYY-MM-DD`) and its sums.
public struct UsageTotal: Hashable, Sendable {
    public let key: String
    public let units: Int64
    public let cost: Int64
    public let records: Int64

    public init(key: String, units: Int64, cost: Int64, records: Int64) {
        self.key = key
        self.units = units
        self.cost = cost
        self.records = records
    }
}
