internal import Identity

/// What a change-feed subscriber receives: a committed record, or a heartbeat that gives an
/// idle stream something to write (so a vanished client is noticed), or the end of the
/// subscriber's credential.
enum FeedItem: Sendable {
    case record(ChangeRecord)
    case heartbeat
    /// The subscriber's credential was revoked or disabled, or its principal removed from an
    /// organization: the last item of its stream.
    case credentialEnded
}
