/// created → queued (started) → running → succeeded | failed | cancelled. The last three are
/// final; a run is started once.
public enum WorkflowRunStatus: String, Hashable, Sendable, CaseIterable, Codable {
    case created, queued, running, succeeded, failed, cancelled

    public var isFinal: Bool {
        switch self {
        case .created, .queued, .running: false
        case .succeeded, .failed, .cancelled: true
        }
    }
}
