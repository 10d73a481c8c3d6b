public import Foundation

/// One question for the evaluator: may `subject` do `permission` to `resource`?
public struct CheckRequest: Hashable, Sendable {
    public let subject: UUID
    public let permission: PermissionID
    public let resource: ResourceReference
    /// When set, the subject acts through credentials limited to these permissions (a scoped
    /// API key): the answer is the role-based answer narrowed to this set.
    public let scopes: PermissionSet?

    public init(subject: UUID, permission: PermissionID, resource: ResourceReference, scopes: PermissionSet? = nil) {
        self.subject = subject
        self.permission = permission
        self.resource = resource
        self.scopes = scopes
    }
}
