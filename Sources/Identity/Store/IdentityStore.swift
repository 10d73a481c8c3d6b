public import Authz

/// Where identities, memberships and the change log live: embedded SQLite by default,
/// PostgreSQL for several replicas. Every write commits its rows and one change-log record
/// (a new revision) in one transaction, or nothing at all.
///
/// Transactions are handed out as `any IdentityTransaction`, so services and routes never name
/// which store runs them and no type above the store is generic over it. A store that also
/// keeps workloads hands out transactions that are `WorkloadTransaction`s too (a refinement
/// the Workloads module declares and checks for).
///
/// A transaction that has begun runs to its end even when its caller is cancelled: a client
/// hanging up never leaves half a write, or a connection stuck inside a transaction.
public protocol IdentityStore: Sendable {
    /// Brings the schema to the newest version; safe to run on every start.
    /// Applies the schema steps not yet applied; returns their versions (none: it was up to date).
    @discardableResult func migrate() async throws -> [Int]

    /// Runs `body` in one write transaction. The entries it returns are appended to the change
    /// log under one new revision, committed together with the rows; a write that changes
    /// nothing returns no entries and creates no revision. If `body` throws, nothing is kept.
    func write<Result: Sendable>(
        _ body: @escaping @Sendable (any IdentityTransaction) async throws -> (Result, [ChangeLogEntry])
    ) async throws -> (Result, revision: UInt64)

    /// Runs `body` in one read transaction: a consistent view.
    func read<Result: Sendable>(_ body: @escaping @Sendable (any IdentityTransaction) async throws -> Result) async throws -> Result

    /// Change-log records after `revision`, oldest first.
    func changes(after revision: UInt64, limit: Int) async throws -> [ChangeRecord]

    /// The authorization snapshot of everything the store holds, read at one revision (the
    /// snapshot's) and built at once; the change log is followed from that revision on.
    func loadSnapshot(policy: Policy) async throws -> AuthzSnapshot

    /// Calls `onChange` whenever another writer may have committed, until cancelled: on
    /// PostgreSQL at each notification, and at least once a second everywhere.
    func watchChanges(_ onChange: @escaping @Sendable () async -> Void) async throws

    func close() async throws
}
