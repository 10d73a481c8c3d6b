public import HTTPTypes

/// The routes the router serves, as method and path pattern (`/v1/teams/:id`): what tells a
/// wrong method (405, with `Allow`) from an unknown path (404), and what the OpenAPI
/// document is checked against.
public struct RouteTable: Sendable {
    public private(set) var routes: [(method: HTTPRequest.Method, path: String, idempotent: Bool)] = []

    public init() {}

    mutating func add(_ method: HTTPRequest.Method, _ path: String, idempotent: Bool = false) {
        self.routes.append((method, path, idempotent))
    }

    /// The methods served for a concrete path; empty when no route matches it at all.
    public func allowedMethods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        return self.routes.filter { route in
            let pattern = route.path.split(separator: "/", omittingEmptySubsequences: true)
            return pattern.count == segments.count && zip(pattern, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
        }.map(\.method)
    }
}
