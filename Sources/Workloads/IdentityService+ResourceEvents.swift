public import Foundation
public import Identity

extension IdentityService {
    /// The events of one job or workflow run after `after`, oldest first.
    public func resourceEvents(of resource: UUID, after: Int64, limit: Int) async throws(IdentityError) -> [ResourceEvent] {
        try await self.readWorkloads { try await $0.resourceEvents(resource: resource, after: after, limit: limit) }
    }
}
