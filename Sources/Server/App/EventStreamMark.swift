/// Sent down a connection's pipeline when an event stream starts and ends on it, for
/// `ClientDepartureWatcher`: `departed` ends the stream, and is called at most once, on the
/// connection's event loop, if the client leaves in between.
enum EventStreamMark: Sendable {
    case started(departed: @Sendable () -> Void)
    case ended
}
