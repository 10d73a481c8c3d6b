internal import Authz
import Foundation
internal import Identity
import JSON
internal import Logging

/// Ends open event streams whose credential no longer holds, as the change that ended it is
/// applied (here or on another replica): a revoked or disabled key, or a principal removed
/// from its last organization. A stream would otherwise keep its place, and its connection,
/// for as long as the client liked, though nothing reached it any more.
struct StreamCredentialWatch: Sendable {
    let service: IdentityService
    let feed: ChangeFeed
    let logger = Logger(label: "authz.streams")

    /// The change-log entry says only that the key changed; the store says whether it still
    /// works (a rotation leaves the old key active through its grace period). When the store
    /// cannot say, the streams end: their clients reconnect, and a live key opens them again.
    func endStreams(ofKey key: UUID) {
        Task {
            do {
                if let stored = try await self.service.apiKey(key), stored.status == .active { return }
            } catch {
                self.logger.warning("could not read a changed API key; ending its streams", metadata: ["key_id": "\(key.text)", "error": "\(error)"])
            }
            self.feed.end { $0.keyID == key }
        }
    }

    /// A member of several organizations keeps its stream (it just stops receiving the one it
    /// left); one left in none, and not a platform admin, has nothing more to receive.
    func endStreams(ofRemoved principal: UUID) {
        Task {
            do {
                guard try await self.service.memberships(of: principal).isEmpty, !self.service.snapshot.isPlatformAdmin(principal) else { return }
            } catch {
                self.logger.warning(
                    "could not read a removed member's organizations; ending its streams",
                    metadata: ["principal_id": "\(principal.text)", "error": "\(error)"]
                )
            }
            self.feed.end { $0.principal == principal }
        }
    }
}
