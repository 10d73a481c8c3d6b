public import Authz
public import Foundation
public import Identity

/// Who a request acts as, once its credentials checked out.
///
/// An immutable class rather than a struct: it travels in the request context, which every
/// middleware copies, and in the verified-key cache; one reference to retain is cheaper than
/// a principal's strings and a permission set's words.
public final class Authentication: Sendable {
    public let principal: Principal
    public let keyID: UUID
    /// The key's scopes, resolved against the policy; nil for an unscoped key.
    public let scopes: PermissionSet?
    /// An API key (`keyID` names it) rather than a JWT (`keyID` is then the principal's id).
    public let isAPIKey: Bool

    public init(principal: Principal, keyID: UUID, scopes: PermissionSet?, isAPIKey: Bool = true) {
        self.principal = principal
        self.keyID = keyID
        self.scopes = scopes
        self.isAPIKey = isAPIKey
    }
}
