internal import Identity

/// What a change-feed subscriber receives: a committed record, or a heartbeat that gives an
/// idle stream something to write (so a vanished client is noticed).
enum FeedItem: Sendable {
    case record(ChangeRecord)
    case heartbeat
}
