import Foundation

/// An audit event as stored: its place in the log and its link in its chain.
public struct AuditRecord: Hashable, Sendable {
    public let sequence: Int64
    public let event: AuditEvent
    public let hash: [UInt8]

    public init(sequence: Int64, event: AuditEvent, hash: [UInt8]) {
        self.sequence = sequence
        self.event = event
        self.hash = hash
    }

    /// The chain an event belongs to: its organization's, or the platform's ("").
    public var chain: String { AuditRecord.chain(of: self.event) }

    static func chain(of event: AuditEvent) -> String {
        event.organizationID?.uuidString.lowercased() ?? ""
    }
}
