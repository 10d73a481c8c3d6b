/// What `GET /v1/providers` shows of a provider, and what prices its work.
public struct ProviderDescriptor: Hashable, Sendable {
    public let name: String
    public let description: String
    /// `execute`, `stream`, `estimate`, `cancel`.
    public let capabilities: [String]
    /// What one unit is (`token`, `100ms`).
    public let unit: String
    /// Credits per unit; cost = units × price.
    public let pricePerUnit: Int64

    public init(name: String, description: String, capabilities: [String], unit: String, pricePerUnit: Int64) {
        self.name = name
        self.description = description
        self.capabilities = capabilities
        self.unit = unit
        self.pricePerUnit = pricePerUnit
    }

    public func cost(of units: Int64) -> Int64 {
        units.multipliedReportingOverflow(by: self.pricePerUnit).overflow ? .max : units * self.pricePerUnit
    }
}
