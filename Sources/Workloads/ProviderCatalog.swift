/// The providers a process offers, by name.
public struct ProviderCatalog: Sendable {
    let providers: [String: any Provider]

    public init(_ providers: [any Provider]) {
        self.providers = Dictionary(providers.map { ($0.descriptor.name, $0) }) { first, _ in first }
    }

    public static let builtIn = ProviderCatalog([EchoProvider(), SleepProvider()])

    /// In name order.
    public var all: [any Provider] {
        self.providers.keys.sorted().compactMap { self.providers[$0] }
    }

    public var descriptors: [ProviderDescriptor] { self.all.map(\.descriptor) }

    public func provider(named name: String) -> (any Provider)? {
        self.providers[name]
    }
}
