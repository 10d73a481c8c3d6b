internal import APIKeys
import Foundation
internal import Identity
internal import Workloads

/// What each applied change-log record sets off on this replica, whoever wrote it: a key
/// revoked, disabled or rotated is forgotten by the verified-key cache and ends its streams,
/// so no verified copy outlives it; a principal left in no organization loses its streams; a
/// job or run cancelled (or whose organization was deleted) stops where it runs; and every
/// record reaches the open event streams.
struct ChangeLogObservers: Sendable {
    let cache: VerifiedKeyCache<Authentication>
    let credentials: StreamCredentialWatch
    let runner: JobRunner
    let feed: ChangeFeed

    func observe(_ record: ChangeRecord) {
        for entry in record.entries {
            switch entry {
            case .apiKeyChanged(_, let key):
                self.forget(key: key)
            case .memberRemoved(_, let principal, _):
                self.credentials.endStreams(ofRemoved: principal)
            case .organizationDeleted(_, _, let members, let keys, let jobs, let runs):
                keys.forEach(self.forget(key:))
                members.forEach(self.credentials.endStreams(ofRemoved:))
                self.stop(jobs + runs)
            case .jobChanged(_, let job, JobStatus.cancelled.rawValue):
                self.stop([job])
            case .workflowRunChanged(_, let run, WorkflowRunStatus.cancelled.rawValue, nil):
                self.stop([run])
            default:
                break
            }
        }
        self.feed.publish(record)
    }

    func forget(key: UUID) {
        self.cache.evict(keyID: key)
        self.credentials.endStreams(ofKey: key)
    }

    /// Jobs and workflow runs alike: the runner knows which each is.
    func stop(_ work: [UUID]) {
        let runner = self.runner
        Task {
            for id in work { await runner.stop(id) }
        }
    }
}
