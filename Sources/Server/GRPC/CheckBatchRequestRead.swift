import JSON

/// A `CheckBatchRequest` as the service read it: the batch, or every mistake in it, said once
/// the caller is authenticated (an unauthenticated call learns nothing of how its request
/// reads).
enum CheckBatchRequestRead: Sendable {
    case batch(CheckBatch)
    case invalid([FieldError])
}
