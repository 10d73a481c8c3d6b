internal import Foundation

/// Receives the evaluator's steps. The check is generic over it so that the ordinary path,
/// specialised for `UntracedDecision`, builds no step at all.
protocol DecisionTracer {
    mutating func record(_ step: @autoclosure () -> TraceStep)
    /// The checked resource's id as the check named it: an external resource's own id is not
    /// in `ResolvedResource`, so the tracer that needs it carries it.
    func resourceID(_ resource: ResolvedResource) -> String
}

struct UntracedDecision: DecisionTracer {
    @inline(__always)
    mutating func record(_ step: @autoclosure () -> TraceStep) {}

    func resourceID(_ resource: ResolvedResource) -> String { "" }
}

struct RecordedDecision: DecisionTracer {
    var steps: [TraceStep] = []
    /// Nil when tracing a resource resolved without its reference (lookups).
    var resourceIDText: String?

    init(resourceID: String? = nil) {
        self.resourceIDText = resourceID
    }

    func resourceID(_ resource: ResolvedResource) -> String {
        self.resourceIDText ?? resource.id.uuidString.lowercased()
    }

    mutating func record(_ step: @autoclosure () -> TraceStep) {
        self.steps.append(step())
    }
}
