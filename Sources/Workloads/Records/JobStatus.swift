/// Where a job is in its life: queued → running → succeeded | failed | cancelled. The last
/// three are final; nothing leaves them.
public enum JobStatus: String, Hashable, Sendable, CaseIterable, Codable {
    case queued, running, succeeded, failed, cancelled

    public var isFinal: Bool {
        switch self {
        case .queued, .running: false
        case .succeeded, .failed, .cancelled: true
        }
    }
}
