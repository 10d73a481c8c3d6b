public import Authz
public import Foundation
public import Identity

/// Who a request acts as, once its credentials checked out.
public struct Authentication: Sendable {
    public let principal: Principal
    public let keyID: UUID
    /// The key's scopes, resolved against the policy; nil for an unscoped key.
    public let scopes: PermissionSet?
    /// An API key (`keyID` names it) rather than a JWT (`keyID` is then the principal's id).
    public var isAPIKey: Bool = true
}
