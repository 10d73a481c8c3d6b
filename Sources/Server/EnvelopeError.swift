/// `error` of the envelope.
struct EnvelopeError: Encodable, Sendable {
    let code: String
    let message: String
    let details: [FieldError]?
}
