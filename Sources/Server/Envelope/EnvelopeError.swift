import JSON

/// `error` of the envelope.
struct EnvelopeError: Sendable {
    let code: String
    let message: String
    let details: [FieldError]?
}
