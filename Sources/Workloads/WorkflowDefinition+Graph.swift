import Foundation
public import Identity

extension WorkflowDefinition {
    /// The nodes, as validated when the definition was created.
    public var graph: [WorkflowNode] {
        (try? JSONDecoder().decode([WorkflowNode].self, from: Data(self.nodes.utf8))) ?? []
    }
}
