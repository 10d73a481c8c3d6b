import Foundation
public import Identity

/// The rules a definition's nodes obey: 1 to 100 nodes, unique ids, known providers with
/// input they accept, dependencies on nodes of the same definition, no cycle.
public enum WorkflowGraph {
    public static let maximumNodes = 100

    public static func validate(_ nodes: [WorkflowNode], providers: ProviderCatalog) throws(IdentityError) {
        guard (1...Self.maximumNodes).contains(nodes.count) else {
            throw .invalid(field: "nodes", message: "must hold 1 to \(Self.maximumNodes) nodes")
        }
        var seen: Set<String> = []
        for (index, node) in nodes.enumerated() {
            guard (1...64).contains(node.id.count), node.id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw .invalid(field: "nodes[\(index)].id", message: "must be 1 to 64 letters, digits, '_' or '-'")
            }
            guard seen.insert(node.id).inserted else { throw .invalid(field: "nodes[\(index)].id", message: "'\(node.id)' is used twice") }
        }
        for (index, node) in nodes.enumerated() {
            guard providers.provider(named: node.provider) != nil else {
                throw .invalid(field: "nodes[\(index)].provider", message: "unknown provider '\(node.provider)'")
            }
            try Self.checkInput(of: node, providers: providers, at: "nodes[\(index)].input")
            for (position, dependency) in node.dependsOn.enumerated() {
                guard seen.contains(dependency), dependency != node.id else {
                    throw .invalid(
                        field: "nodes[\(index)].depends_on[\(position)]",
                        message: dependency == node.id ? "a node cannot depend on itself" : "no node is called '\(dependency)'"
                    )
                }
            }
        }
        if let cycle = Self.cycle(nodes) {
            throw .invalid(field: "nodes", message: "the dependencies form a cycle: \(cycle.joined(separator: " → "))")
        }
    }

    /// The node's input must be one its provider accepts; problems are reported under `path`
    /// (`nodes[2].input`, or `input.fetch` for a run's override).
    public static func checkInput(of node: WorkflowNode, providers: ProviderCatalog, at path: String) throws(IdentityError) {
        guard let provider = providers.provider(named: node.provider) else { return }
        do {
            _ = try provider.estimate(node.input)
        } catch {
            switch error {
            case .invalidInput(let field, let message): throw .invalid(field: path + field.dropFirst("input".count), message: message)
            case .failed(let message): throw .invalid(field: path, message: message)
            }
        }
    }

    /// A dependency cycle, if there is one (Kahn's algorithm: what cannot be ordered is in or
    /// behind a cycle; one is then walked out of it).
    static func cycle(_ nodes: [WorkflowNode]) -> [String]? {
        var remaining = Dictionary(uniqueKeysWithValues: nodes.map { ($0.id, Set($0.dependsOn)) })
        var ready = remaining.filter(\.value.isEmpty).map(\.key)
        while let next = ready.popLast() {
            remaining[next] = nil
            for (id, dependencies) in remaining where dependencies.contains(next) {
                remaining[id]?.remove(next)
                if remaining[id]?.isEmpty == true { ready.append(id) }
            }
        }
        guard var current = remaining.keys.sorted().first else { return nil }
        var path: [String] = []
        while !path.contains(current) {
            path.append(current)
            guard let next = remaining[current]?.sorted().first else { return path }
            current = next
        }
        return Array(path[path.firstIndex(of: current)!...]) + [current]
    }
}
