import JSON

extension OpenAPIDocument {
    static let schemas: [(String, OpenAPISchema)] = [
        (
            "Meta",
            .object(
                [
                    ("request_id", .uuid), ("trace_id", .uuid), ("timestamp", .timestamp), ("status", .integer()),
                    ("version", .string()), ("revision", .string(description: "The store revision the response reflects.")),
                ],
                required: ["request_id", "trace_id", "timestamp", "status", "version", "revision"]
            )
        ),
        (
            "Context",
            .object(
                [("principal_id", .nullable(.uuid)), ("organization_id", .nullable(.uuid)), ("team_id", .nullable(.uuid))],
                required: ["principal_id", "organization_id", "team_id"]
            )
        ),
        ("Links", .object([("self", .string()), ("next", .string())], required: ["self"])),
        (
            "FieldError",
            .object([("field", .string(description: "A path like checks[3].permission.")), ("message", .string())], required: ["field", "message"])
        ),
        (
            "Error",
            .object(
                [
                    (
                        "code",
                        .enumeration([
                            "validation_error", "unauthorized", "forbidden", "not_found", "method_not_allowed", "conflict", "idempotency_conflict",
                            "gone", "payload_too_large", "unsupported_media_type", "rate_limited", "internal_error", "unavailable",
                            "revision_unavailable", "provider_failed", "upgrade_required", "share_not_found", "share_revoked", "share_expired",
                            "share_password_required", "share_wrong_password", "share_password_locked", "share_rate_limited",
                            "evidence_unverified", "artifact_filtered", "public_payload_policy_rejected",
                        ])
                    ),
                    ("message", .string()), ("details", .array(.reference("FieldError"))),
                ],
                required: ["code", "message"]
            )
        ),
        ("ErrorEnvelope", Self.envelope(.null)),
        ("Health", .object([("status", .string()), ("revision", .string())], required: ["status"])),
        (
            "Principal",
            .object(
                [
                    ("id", .uuid), ("kind", .enumeration(["user", "service"])), ("email", .nullable(.string())), ("name", .nullable(.string())),
                    ("platform_admin", .boolean), ("created_at", .timestamp),
                ],
                required: ["id", "kind", "email", "name", "platform_admin", "created_at"]
            )
        ),
        (
            "Organization",
            .object(
                [("id", .uuid), ("name", .string()), ("slug", .string()), ("created_at", .timestamp)],
                required: ["id", "name", "slug", "created_at"]
            )
        ),
        (
            "Member",
            .object(
                [
                    ("principal_id", .uuid), ("role", .string()), ("created_at", .timestamp), ("name", .nullable(.string())),
                    ("email", .nullable(.string())), ("kind", .enumeration(["user", "service"])),
                ],
                required: ["principal_id", "role", "created_at", "name", "email", "kind"]
            )
        ),
        (
            "Team",
            .object(
                [("id", .uuid), ("organization_id", .uuid), ("name", .string()), ("created_at", .timestamp)],
                required: ["id", "organization_id", "name", "created_at"]
            )
        ),
        (
            "TeamMember",
            .object(
                [
                    ("principal_id", .uuid), ("role", .string()), ("name", .nullable(.string())), ("email", .nullable(.string())),
                    ("kind", .enumeration(["user", "service"])),
                ],
                required: ["principal_id", "role", "name", "email", "kind"]
            )
        ),
        (
            "EffectivePermissions",
            .object(
                [
                    ("organization_id", .uuid), ("role", .nullable(.string())), ("platform_admin", .boolean), ("permissions", .array(.string())),
                    (
                        "teams",
                        .array(
                            .object(
                                [("team", .uuid), ("role", .string()), ("permissions", .array(.string()))],
                                required: ["team", "role", "permissions"]
                            )
                        )
                    ),
                ],
                required: ["organization_id", "role", "platform_admin", "permissions", "teams"]
            )
        ),
        (
            "Invitation",
            .object(
                [
                    ("id", .uuid), ("organization_id", .uuid), ("email", .string()), ("role", .string()), ("team_id", .nullable(.uuid)),
                    ("team_role", .nullable(.string())), ("status", .enumeration(["pending", "accepted", "revoked", "expired"])),
                    ("created_at", .timestamp), ("expires_at", .timestamp), ("token", .string(description: "Only in the answer that creates it.")),
                ],
                required: ["id", "organization_id", "email", "role", "status", "created_at", "expires_at"]
            )
        ),
        (
            "APIKey",
            .object(
                [
                    ("id", .uuid), ("name", .string()), ("prefix", .string(description: "`azk_<id>`: tells keys apart; not a secret.")),
                    ("key", .string(description: "`azk_<id>_<secret>`: only in the answers of creation and rotation.")),
                    ("principal_id", .uuid), ("organization_id", .nullable(.uuid)), ("role", .nullable(.string())),
                    ("scopes", .nullable(.array(.string()))),
                    ("status", .enumeration(["active", "rotating", "disabled", "revoked", "expired"])),
                    ("created_at", .timestamp), ("expires_at", .nullable(.timestamp)), ("last_used_at", .nullable(.timestamp)),
                    ("replaced_by", .nullable(.uuid)), ("replaces", .nullable(.uuid)),
                ],
                required: [
                    "id", "name", "prefix", "principal_id", "organization_id", "role", "scopes", "status", "created_at", "expires_at", "last_used_at",
                    "replaced_by", "replaces",
                ]
            )
        ),
        ("Reference", .object([("type", .string()), ("id", .uuid)], required: ["type", "id"])),
        (
            "CheckedResource",
            .object(
                [("type", .string()), ("id", .string(description: "A stored resource's UUID, or an external resource's id as the check named it."))],
                required: ["type", "id"]
            )
        ),
        (
            "AuditRecord",
            .object(
                [
                    ("id", .uuid), ("sequence", .string(description: "Its place in the log.")), ("organization_id", .nullable(.uuid)),
                    ("actor_id", .nullable(.uuid)), ("key_id", .nullable(.uuid)), ("action", .string()),
                    ("target", .nullable(.reference("Reference"))),
                    ("outcome", .enumeration(["success", "denied", "failure"])), ("request_id", .nullable(.uuid)),
                    ("client_address", .nullable(.string())), ("user_agent", .nullable(.string())), ("data", .object([], additional: true)),
                    ("created_at", .timestamp), ("hash", .string(description: "SHA-256 link in the organization's chain, hex.")),
                ],
                required: [
                    "id", "sequence", "organization_id", "actor_id", "key_id", "action", "target", "outcome", "request_id", "client_address",
                    "user_agent", "data", "created_at", "hash",
                ]
            )
        ),
        (
            "Consistency",
            .object([
                (
                    "min_revision",
                    .oneOf([
                        .string(description: "Wait (at most 2 s) until this revision is applied.", pattern: "^[0-9]{1,19}$"),
                        .integer(minimum: 0, maximum: 8_999_999_999_999_999),
                    ])
                )
            ])
        ),
        ("Subject", .object([("type", .constant("principal")), ("id", .uuid)], required: ["type", "id"])),
        (
            "Grant",
            .object([("role", .string()), ("on", .reference("Reference"))], required: ["role", "on"])
        ),
        (
            "CheckResult",
            .object(
                [
                    ("allowed", .boolean), ("permission", .string()), ("resource", .reference("CheckedResource")),
                    ("subject", .reference("Reference")),
                    (
                        "reason",
                        .nullable(
                            .object(
                                [("role", .string()), ("on", .reference("CheckedResource")), ("via_team", .nullable(.uuid))],
                                required: ["role", "on"]
                            )
                        )
                    ),
                    ("grantable_by", .array(.reference("Grant"))), ("revision", .string()),
                    ("trace", .array(.string(), maxItems: 64)),
                ],
                required: ["allowed", "permission", "resource", "subject", "reason", "revision"]
            )
        ),
        (
            "Provider",
            .object(
                [
                    ("name", .string()), ("description", .string()),
                    ("capabilities", .array(.enumeration(["execute", "stream", "estimate", "cancel"]))),
                    ("unit", .string(description: "What one unit is: `token`, `100ms`.")), ("price_per_unit", .integer(minimum: 0)),
                ],
                required: ["name", "description", "capabilities", "unit", "price_per_unit"]
            )
        ),
        (
            "Job",
            .object(
                [
                    ("id", .uuid), ("organization_id", .uuid), ("team_id", .nullable(.uuid)), ("created_by", .nullable(.uuid)),
                    ("provider", .string()),
                    ("input", .object([], additional: true)), ("status", .enumeration(["queued", "running", "succeeded", "failed", "cancelled"])),
                    ("cost_estimate", .object([("units", .integer(minimum: 0)), ("cost", .integer(minimum: 0))], required: ["units", "cost"])),
                    ("output", .nullable(.object([("text", .string())]))), ("error", .nullable(.string())), ("created_at", .timestamp),
                    ("started_at", .nullable(.timestamp)), ("finished_at", .nullable(.timestamp)),
                ],
                required: [
                    "id", "organization_id", "team_id", "created_by", "provider", "input", "status", "cost_estimate", "output", "error", "created_at",
                    "started_at", "finished_at",
                ]
            )
        ),
        (
            "UsageRecord",
            .object(
                [
                    ("id", .uuid), ("organization_id", .uuid), ("team_id", .nullable(.uuid)), ("principal_id", .nullable(.uuid)),
                    ("provider", .string()),
                    ("units", .integer(minimum: 0)), ("cost", .integer(minimum: 0)), ("job_id", .nullable(.uuid)), ("run_id", .nullable(.uuid)),
                    ("created_at", .timestamp),
                ],
                required: ["id", "organization_id", "team_id", "principal_id", "provider", "units", "cost", "job_id", "run_id", "created_at"]
            )
        ),
        (
            "UsageTotal",
            .object(
                [
                    ("key", .string(description: "A provider name, a team id (`none` for no team), a UTC day `YYYY-MM-DD`, or `total`.")),
                    ("units", .integer(minimum: 0)), ("cost", .integer(minimum: 0)), ("records", .integer(minimum: 0)),
                ],
                required: ["key", "units", "cost", "records"]
            )
        ),
        (
            "ChangeEvent",
            .object(
                [
                    ("id", .string(description: "`revision.index`: orders events; send it back as `Last-Event-ID` to resume.")),
                    ("type", .string(description: "`member.added`, `team.created`, `job.succeeded`, `api_key.changed`, ...")),
                    ("revision", .string()), ("organization_id", .uuid),
                    ("target", .object([("type", .string()), ("id", .uuid)], required: ["type", "id"])),
                    ("data", .object([], additional: true)), ("created_at", .timestamp),
                ],
                required: ["id", "type", "revision", "organization_id", "target", "data", "created_at"]
            )
        ),
        (
            "Asset",
            .object(
                [
                    ("id", .uuid), ("organization_id", .uuid), ("team_id", .nullable(.uuid)), ("created_by", .nullable(.uuid)), ("name", .string()),
                    ("content_type", .string()), ("size", .integer(minimum: 0)), ("sha256", .string(description: "Lower-case hex; also the `ETag`.")),
                    ("created_at", .timestamp),
                ],
                required: ["id", "organization_id", "team_id", "created_by", "name", "content_type", "size", "sha256", "created_at"]
            )
        ),
        (
            "WorkflowDefinition",
            .object(
                [
                    ("id", .uuid), ("organization_id", .uuid), ("name", .string()), ("nodes", .array(.reference("WorkflowNode"), maxItems: 100)),
                    ("created_by", .nullable(.uuid)), ("created_at", .timestamp),
                ],
                required: ["id", "organization_id", "name", "nodes", "created_by", "created_at"]
            )
        ),
        (
            "WorkflowRun",
            .object(
                [
                    ("id", .uuid), ("organization_id", .uuid), ("team_id", .nullable(.uuid)), ("definition_id", .uuid),
                    ("created_by", .nullable(.uuid)),
                    ("input", .object([], additional: true)),
                    ("status", .enumeration(["created", "queued", "running", "succeeded", "failed", "cancelled"])),
                    (
                        "nodes",
                        .object(
                            [],
                            additional: true
                        )
                    ),
                    ("error", .nullable(.string())), ("created_at", .timestamp), ("started_at", .nullable(.timestamp)),
                    ("finished_at", .nullable(.timestamp)),
                ],
                required: [
                    "id", "organization_id", "team_id", "definition_id", "created_by", "input", "status", "nodes", "error", "created_at",
                    "started_at",
                    "finished_at",
                ]
            )
        ),
        (
            "Share",
            .object(
                [
                    ("id", .uuid), ("organization_id", .uuid), ("team_id", .nullable(.uuid)), ("created_by", .nullable(.uuid)),
                    ("resource", .object([("type", .enumeration(["job", "workflow_run", "asset"])), ("id", .uuid)], required: ["type", "id"])),
                    ("has_password", .boolean), ("token", .string(description: "Only in the answer that creates the share.")),
                    ("url", .string(description: "Only at creation: the public path of the share.")),
                    ("status", .enumeration(["active", "revoked", "expired"])), ("expires_at", .nullable(.timestamp)),
                    ("revoked_at", .nullable(.timestamp)),
                    ("created_at", .timestamp),
                ],
                required: [
                    "id", "organization_id", "team_id", "created_by", "resource", "has_password", "status", "expires_at", "revoked_at", "created_at",
                ]
            )
        ),
        (
            "PublicSnapshot",
            .object(
                [
                    ("type", .string()), ("name", .string()), ("status", .string()), ("created_at", .timestamp), ("started_at", .timestamp),
                    ("finished_at", .timestamp), ("output", .object([], additional: true)), ("nodes", .object([], additional: true)),
                    ("content_type", .string()), ("size", .integer(minimum: 0)), ("sha256", .string()),
                ],
                required: ["type", "created_at"]
            )
        ),
    ]
}
