internal import Authz
internal import Identity

extension IdentityService {
    /// Whether the store answers a read: what `/readyz` and gRPC's health service report.
    func storeAnswers() async -> Bool {
        do {
            _ = try await self.store.changes(after: self.snapshot.revision, limit: 1)
            return true
        } catch {
            return false
        }
    }
}
