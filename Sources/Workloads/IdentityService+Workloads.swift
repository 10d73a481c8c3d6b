public import Foundation
public import Identity

extension IdentityService {
    /// `perform` for the workload services: the same transaction (rows, change log and audit
    /// committed together), seen with its workload statements.
    public func writeWorkloads<Result: Sendable>(
        audit: AuditContext? = nil,
        _ body: @escaping @Sendable (any WorkloadTransaction) async throws -> (Result, [ChangeLogEntry])
    ) async throws(IdentityError) -> (Result, revision: UInt64) {
        try await self.perform(audit: audit) { transaction in try await body(Self.workloads(transaction)) }
    }

    /// `reading` for the workload services.
    public func readWorkloads<Result: Sendable>(
        _ body: @escaping @Sendable (any WorkloadTransaction) async throws -> Result
    ) async throws(IdentityError) -> Result {
        try await self.reading { transaction in try await body(Self.workloads(transaction)) }
    }

    /// The one place a transaction is asked for its workload statements. Identity hands out
    /// `any IdentityTransaction` so that it need not know workloads exist; every store this
    /// package ships implements both, so the cast fails only for a store built without them,
    /// and then as an error the caller sees (`unavailable`), never a crash.
    public static func workloads(_ transaction: any IdentityTransaction) throws -> any WorkloadTransaction {
        guard let workloads = transaction as? any WorkloadTransaction else { throw WorkloadsUnsupported() }
        return workloads
    }
}
