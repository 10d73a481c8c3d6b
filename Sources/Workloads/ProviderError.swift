/// Why a provider refused or failed a piece of work.
public enum ProviderError: Error, Hashable, Sendable {
    /// The input does not fit the provider; `field` is a path inside `input`.
    case invalidInput(field: String, message: String)
    /// The work failed; the message is fit for the job's owner.
    case failed(String)
}
