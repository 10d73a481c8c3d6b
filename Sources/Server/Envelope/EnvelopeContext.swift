import Foundation

/// `context` of the envelope: who asked, and about which tenant. All three keys are written,
/// null when unknown: clients read them unconditionally.
struct EnvelopeContext: Sendable {
    var principalID: UUID?
    var organizationID: UUID?
    var teamID: UUID?
}
