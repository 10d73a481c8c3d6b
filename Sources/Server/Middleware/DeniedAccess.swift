public import Foundation

/// What the evaluator refused, carried by the refusal so the audit log can say what was
/// asked for: the permission and the resource (which exists: an unknown id is not a denial).
public struct DeniedAccess: Equatable, Sendable {
    public let permission: String
    public let resourceType: String
    public let resourceID: UUID
    public let organizationID: UUID
}
