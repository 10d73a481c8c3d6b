/// Receives the evaluator's steps. The check is generic over it so that the ordinary path,
/// specialised for `UntracedDecision`, builds no step at all.
protocol DecisionTracer {
    mutating func record(_ step: @autoclosure () -> TraceStep)
}

struct UntracedDecision: DecisionTracer {
    @inline(__always)
    mutating func record(_ step: @autoclosure () -> TraceStep) {}
}

struct RecordedDecision: DecisionTracer {
    var steps: [TraceStep] = []

    mutating func record(_ step: @autoclosure () -> TraceStep) {
        self.steps.append(step())
    }
}
