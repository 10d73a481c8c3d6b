import Foundation
public import Identity
public import JSON

/// What a share may show of its resource: only these fields, fixed when the share is made.
/// No principal, organization or team id, no internal error text.
public enum PublicSnapshot {
    public static let allowedFields: Set<String> = [
        "type", "name", "status", "created_at", "started_at", "finished_at", "output", "nodes", "content_type", "size", "sha256",
    ]

    public static func of(_ job: Job) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [
            "type": .string(Job.resourceType), "name": .string(job.provider), "status": .string(job.status.rawValue),
            "created_at": Self.time(job.createdAt),
        ]
        fields["started_at"] = job.startedAt.map(Self.time)
        fields["finished_at"] = job.finishedAt.map(Self.time)
        fields["output"] = job.output.flatMap { JSONValue(text: $0) }
        return fields
    }

    public static func of(_ run: WorkflowRun, definition: WorkflowDefinition?) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [
            "type": .string(WorkflowRun.resourceType), "name": .string(definition?.name ?? ""), "status": .string(run.status.rawValue),
            "created_at": Self.time(run.createdAt),
        ]
        fields["started_at"] = run.startedAt.map(Self.time)
        fields["finished_at"] = run.finishedAt.map(Self.time)
        // Each node's status and output; never its error text.
        fields["nodes"] = .object(
            run.nodeStates.mapValues { state in
                var node: [String: JSONValue] = ["status": .string(state.status)]
                node["output"] = state.output
                return .object(node)
            }
        )
        return fields
    }

    public static func of(_ asset: Asset) -> [String: JSONValue] {
        [
            "type": .string(Asset.resourceType), "name": .string(asset.name), "content_type": .string(asset.contentType),
            "size": .number(Double(asset.size)), "sha256": .string(asset.sha256), "created_at": Self.time(asset.createdAt),
        ]
    }

    /// Whether every field is public: what is checked again before a snapshot is served.
    public static func isPublic(_ snapshot: [String: JSONValue]) -> Bool {
        snapshot.keys.allSatisfy(Self.allowedFields.contains)
    }

    static func time(_ date: Date) -> JSONValue {
        .string(ISO8601DateFormatter().string(from: date))
    }
}
