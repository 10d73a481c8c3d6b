import Foundation

/// A principal's membership of one team, the key of an organization's team-role map: one
/// lookup with plain values answers "which role does this subject hold in that team".
struct TeamMembership: TrieKey {
    let team: UUID
    let principal: UUID

    var trieHash: UInt64 {
        let team = self.team.trieHash
        return self.principal.trieHash ^ (team << 32 | team >> 32)
    }
}
