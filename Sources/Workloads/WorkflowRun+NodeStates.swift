import Foundation
public import Identity

extension WorkflowRun {
    /// Each node's state, by node id.
    public var nodeStates: [String: NodeState] {
        (try? JSONDecoder().decode([String: NodeState].self, from: Data(self.nodes.utf8))) ?? [:]
    }
}
