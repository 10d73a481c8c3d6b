public import Authz

/// An organization always keeps an owner: the last one can be neither removed nor demoted.
/// The store evaluates this inside the transaction that makes the change, against the owner
/// count it reads there, so two owners demoting each other concurrently cannot both succeed.
public enum OwnershipRule {
    /// `currentRole` is the target's role now; `newRole` nil means removal.
    public static func check(currentRole: String, newRole: String?, ownerCount: Int, policy: Policy) throws(IdentityError) {
        let owner = policy.organizationOwner.name
        guard currentRole == owner, newRole != owner else { return }
        guard ownerCount > 1 else {
            throw .conflict(newRole == nil ? "the last owner cannot be removed" : "the last owner cannot be demoted")
        }
    }
}
