/// `CheckBatch`'s answer before it is encoded: the decided batch, written straight into the
/// `CheckBatchResponse` bytes by `CheckBatchSerializer`, with no message per item.
struct CheckBatchAnswer: Sendable {
    let decided: DecidedBatch
    /// Each result repeats what it asked (subject, permission, resource, revision).
    let echo: Bool
}
