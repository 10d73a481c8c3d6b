/// A key just created or rotated: the only moment its secret exists outside the client.
public struct IssuedAPIKey: Sendable {
    public let record: APIKeyRecord
    /// `azk_<id>_<secret>`: returned once, never stored, never logged.
    public let key: String
}
