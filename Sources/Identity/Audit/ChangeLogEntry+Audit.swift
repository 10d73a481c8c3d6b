public import Foundation

extension ChangeLogEntry {
    /// The audit record of what the entry changed, on behalf of `context`: every mutation is
    /// audited from the change it commits, in the same transaction, so no write path can forget
    /// it. Key lifecycle steps write richer records of their own, so their entry adds none.
    public func auditEvent(_ context: AuditContext, at date: Date) -> AuditEvent? {
        if case .apiKeyChanged = self { return nil }
        let summary = self.summary
        return AuditEvent(
            organizationID: self.organizationID,
            context: context,
            action: summary.action,
            targetType: summary.targetType,
            targetID: summary.targetID,
            data: summary.data,
            createdAt: date
        )
    }
}
