import Foundation

extension Policy {
    /// The type of a stored resource named in a change: organizations, teams and external
    /// types are not stored as resources.
    func storedResourceType(named name: String) throws(SnapshotError) -> ResourceType {
        guard let type = self.resourceType(named: name) else { throw .unknownResourceType(name) }
        guard !type.isExternal, type.id != self.organizationType, type.id != self.teamType else {
            throw .notAStoredResourceType(name)
        }
        return type
    }
}
