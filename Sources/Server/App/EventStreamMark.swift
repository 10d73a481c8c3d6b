/// Sent down a connection's pipeline when an event stream starts and ends on it, for
/// `ClientDepartureWatcher`.
enum EventStreamMark: Sendable {
    case started
    case ended
}
