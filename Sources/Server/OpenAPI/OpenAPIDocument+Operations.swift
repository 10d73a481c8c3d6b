extension OpenAPIDocument {
    static let organizationQuery: (name: String, schema: OpenAPISchema, description: String) = (
        "organization_id", .uuid, "The organization whose keys to list (needs `api_key.read`); without it, the caller's personal keys."
    )

    static let auditQuery: [(name: String, schema: OpenAPISchema, description: String)] = [
        ("actor", .uuid, "Only what this principal did."),
        ("action", .string(length: 1...100), "Only this action, e.g. `member.added`, `api_key.revoked`, `authentication.failed`."),
        ("outcome", .enumeration(["success", "denied", "failure"]), "Only this outcome."),
        ("from", .timestamp, "From this time on (inclusive)."),
        ("to", .timestamp, "Before this time (exclusive)."),
    ]

    /// The audit log's pages go by sequence number.
    static let sequenceCursor = OpenAPISchema.string(description: "A sequence number.", pattern: "^[0-9]{1,18}$")

    /// Every route, in the order a reader meets them.
    static let operations: [OpenAPIOperation] = [
        // System
        OpenAPIOperation(
            method: "get",
            path: "/healthz",
            tag: "system",
            summary: "The process answers",
            kind: .plainJSON,
            data: .reference("Health")
        ),
        OpenAPIOperation(
            method: "get",
            path: "/readyz",
            tag: "system",
            summary: "The store answers and the policy is loaded",
            kind: .plainJSON,
            data: .reference("Health"),
            errors: [503]
        ),
        OpenAPIOperation(
            method: "get",
            path: "/metrics",
            tag: "system",
            summary: "Prometheus metrics",
            description: "Request counts and latency histograms per route, check decisions, verified-key cache hits.",
            kind: .text("text/plain")
        ),
        OpenAPIOperation(method: "get", path: "/openapi.json", tag: "system", summary: "This document", kind: .text("application/json")),
        OpenAPIOperation(method: "get", path: "/docs", tag: "system", summary: "This document as a page", kind: .text("text/html")),

        // Me
        OpenAPIOperation(method: "get", path: "/v1/me", tag: "me", summary: "The caller", data: .reference("Principal")),
        OpenAPIOperation(
            method: "get",
            path: "/v1/me/organizations",
            tag: "me",
            summary: "The caller's organizations and roles",
            data: .object([("organization", .reference("Organization")), ("role", .string())], required: ["organization", "role"]),
            paginated: true
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/me/teams",
            tag: "me",
            summary: "The caller's teams and team roles",
            data: .object([("team", .reference("Team")), ("role", .string())], required: ["team", "role"]),
            paginated: true
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/me/permissions",
            tag: "me",
            summary: "The caller's effective roles and permissions in an organization",
            description: "Narrowed by the key's scopes when the key has any.",
            query: [("organization_id", .uuid, "Required.")],
            data: .reference("EffectivePermissions"),
            errors: [404]
        ),

        // Organizations
        OpenAPIOperation(
            method: "post",
            path: "/v1/organizations",
            tag: "organizations",
            summary: "Create an organization; the caller becomes its owner",
            body: .object(
                [
                    ("name", Self.name(200)),
                    ("slug", .string(description: "Derived from the name when omitted.", length: 2...63, pattern: "^[a-z0-9][a-z0-9-]*[a-z0-9]$")),
                ],
                required: ["name"]
            ),
            data: .reference("Organization"),
            status: 201,
            errors: [409]
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/organizations/:id",
            tag: "organizations",
            summary: "An organization",
            permission: "organization.read",
            data: .reference("Organization"),
            errors: [403, 404]
        ),
        OpenAPIOperation(
            method: "patch",
            path: "/v1/organizations/:id",
            tag: "organizations",
            summary: "Rename an organization",
            description: "The slug stays what it was. Audited as `organization.renamed` with the old and new name.",
            permission: "organization.update",
            body: .object([("name", Self.name(200))], required: ["name"]),
            data: .reference("Organization"),
            errors: [403, 404]
        ),
        OpenAPIOperation(
            method: "delete",
            path: "/v1/organizations/:id",
            tag: "organizations",
            summary: "Delete an organization and everything in it",
            description: """
                Owner only. In one transaction the organization goes with its memberships, teams, invitations, organization API \
                keys (their service principals stay, in no organization), jobs and workflows (running ones are stopped), assets \
                (contents no other organization shares are removed), shares (their links answer 404) and usage records. Its \
                audit log stays: platform admins read it in `GET /v1/audit-logs`, audited as `organization.deleted` with the \
                counts of what ended. Members' open event streams end when they are left in no organization. Not undoable.
                """,
            permission: "organization.delete",
            errors: [403, 404]
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/organizations/:id/teams",
            tag: "organizations",
            summary: "The organization's teams",
            permission: "team.read",
            data: .reference("Team"),
            errors: [403, 404],
            paginated: true
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/organizations/:id/members",
            tag: "organizations",
            summary: "The organization's members",
            permission: "member.read",
            data: .reference("Member"),
            errors: [403, 404],
            paginated: true
        ),
        OpenAPIOperation(
            method: "patch",
            path: "/v1/organizations/:id/members/:principal_id",
            tag: "organizations",
            summary: "Change a member's role",
            description: "Nobody grants a role above their own; only owners grant owner; the last owner cannot be demoted.",
            permission: "member.manage",
            body: .object([("role", .reference("OrganizationRole"))], required: ["role"]),
            data: .reference("Member"),
            errors: [403, 404, 409]
        ),
        OpenAPIOperation(
            method: "delete",
            path: "/v1/organizations/:id/members/:principal_id",
            tag: "organizations",
            summary: "Remove a member (or leave)",
            description: "Members may always leave; the last owner cannot be removed.",
            permission: "member.manage",
            errors: [403, 404, 409]
        ),
        OpenAPIOperation(
            method: "post",
            path: "/v1/organizations/:id/transfer-ownership",
            tag: "organizations",
            summary: "Make another member the owner",
            description: "The previous owner stays on as admin.",
            permission: "organization.transfer",
            body: .object([("principal_id", .uuid)], required: ["principal_id"]),
            errors: [403, 404, 409]
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/organizations/:id/invitations",
            tag: "invitations",
            summary: "The organization's invitations",
            permission: "invitation.read",
            data: .reference("Invitation"),
            errors: [403, 404],
            paginated: true
        ),

        // Teams
        OpenAPIOperation(
            method: "post",
            path: "/v1/teams",
            tag: "teams",
            summary: "Create a team",
            permission: "team.create",
            body: .object([("organization_id", .uuid), ("name", Self.name(200))], required: ["organization_id", "name"]),
            data: .reference("Team"),
            status: 201,
            errors: [403, 404, 409]
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/teams/:id",
            tag: "teams",
            summary: "A team",
            permission: "team.read",
            data: .reference("Team"),
            errors: [403, 404]
        ),
        OpenAPIOperation(
            method: "patch",
            path: "/v1/teams/:id",
            tag: "teams",
            summary: "Rename a team",
            description: "Unique in the organization, like a new team's name. Audited as `team.renamed` with the old and new name.",
            permission: "team.update",
            body: .object([("name", Self.name(200))], required: ["name"]),
            data: .reference("Team"),
            errors: [403, 404, 409]
        ),
        OpenAPIOperation(
            method: "delete",
            path: "/v1/teams/:id",
            tag: "teams",
            summary: "Delete a team and its memberships",
            permission: "team.delete",
            errors: [403, 404]
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/teams/:id/members",
            tag: "teams",
            summary: "The team's members",
            permission: "team.read",
            data: .reference("TeamMember"),
            errors: [403, 404],
            paginated: true
        ),
        OpenAPIOperation(
            method: "put",
            path: "/v1/teams/:id/members/:principal_id",
            tag: "teams",
            summary: "Add a member to the team or change their team role",
            description: "The principal must be a member of the organization.",
            permission: "team.member.manage",
            body: .object([("role", .reference("TeamRole"))], required: ["role"]),
            data: .reference("TeamMember"),
            errors: [403, 404]
        ),
        OpenAPIOperation(
            method: "delete",
            path: "/v1/teams/:id/members/:principal_id",
            tag: "teams",
            summary: "Remove a team member (or leave)",
            permission: "team.member.manage",
            errors: [403, 404]
        ),

        // Invitations
        OpenAPIOperation(
            method: "post",
            path: "/v1/invitations",
            tag: "invitations",
            summary: "Invite by email; the token is shown once",
            permission: "invitation.create",
            // `team_id` and `team_role` go together.
            body: .oneOf([
                .object(
                    [
                        ("organization_id", .uuid), ("email", .string(format: "email")), ("role", .reference("OrganizationRole")),
                        ("expires_in_hours", .integer(minimum: 1, maximum: 720)),
                    ],
                    required: ["organization_id", "email", "role"]
                ),
                .object(
                    [
                        ("organization_id", .uuid), ("email", .string(format: "email")), ("role", .reference("OrganizationRole")), ("team_id", .uuid),
                        ("team_role", .reference("TeamRole")), ("expires_in_hours", .integer(minimum: 1, maximum: 720)),
                    ],
                    required: ["organization_id", "email", "role", "team_id", "team_role"]
                ),
            ]),
            data: .reference("Invitation"),
            status: 201,
            errors: [403, 404, 409]
        ),
        OpenAPIOperation(
            method: "post",
            path: "/v1/invitations/:id/accept",
            tag: "invitations",
            summary: "Accept with the token (single use)",
            description: "When the accepting principal has an email it must match the invitation's, case-insensitively (else 403).",
            body: .object([("token", .string())], required: ["token"]),
            data: .reference("Member"),
            errors: [403, 404, 410]
        ),
        OpenAPIOperation(
            method: "post",
            path: "/v1/invitations/:id/revoke",
            tag: "invitations",
            summary: "Revoke a pending invitation",
            permission: "invitation.revoke",
            data: .reference("Invitation"),
            errors: [403, 404, 410]
        ),

        // API keys
        OpenAPIOperation(
            method: "post",
            path: "/v1/api-keys",
            tag: "api-keys",
            summary: "Create a key; `key` is shown in this answer only",
            description: "Without `organization_id`: a personal key acting as the caller, narrowed by `scopes`. With it: an organization key "
                + "acting as a new service principal holding `role` (default `member`; never above the caller's own). A scoped caller "
                + "creates only keys within its scopes.",
            permission: "api_key.create (organization keys)",
            body: .reference("APIKeyRequest"),
            data: .reference("APIKey"),
            status: 201,
            errors: [403, 404, 409],
            idempotent: true
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/api-keys",
            tag: "api-keys",
            summary: "The caller's personal keys, or an organization's keys",
            permission: "api_key.read (organization keys)",
            query: [Self.organizationQuery],
            data: .reference("APIKey"),
            errors: [403, 404],
            paginated: true
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/api-keys/:id",
            tag: "api-keys",
            summary: "A key's metadata (never the key or its hash)",
            description: "Personal keys are visible to their user alone; organization keys to admins and their creator.",
            permission: "api_key.read (organization keys)",
            data: .reference("APIKey"),
            errors: [403, 404]
        ),
        OpenAPIOperation(
            method: "delete",
            path: "/v1/api-keys/:id",
            tag: "api-keys",
            summary: "Revoke a key, at once, on every replica",
            description: "Revoking an organization key's last unrevoked key also takes its service principal out of the organization "
                + "and its teams (`member.removed` in the audit log and the event streams), unless it is the last owner.",
            permission: "api_key.manage (organization keys)",
            data: .reference("APIKey"),
            errors: [403, 404]
        ),
        OpenAPIOperation(
            method: "post",
            path: "/v1/api-keys/:id/disable",
            tag: "api-keys",
            summary: "Disable a key until enabled again",
            permission: "api_key.manage (organization keys)",
            data: .reference("APIKey"),
            errors: [403, 404, 409]
        ),
        OpenAPIOperation(
            method: "post",
            path: "/v1/api-keys/:id/enable",
            tag: "api-keys",
            summary: "Enable a disabled key (a revoked key: 409)",
            permission: "api_key.manage (organization keys)",
            data: .reference("APIKey"),
            errors: [403, 404, 409]
        ),
        OpenAPIOperation(
            method: "post",
            path: "/v1/api-keys/:id/rotate",
            tag: "api-keys",
            summary: "Replace a key; the old one works for the grace period",
            description: "The new key keeps name, scopes, role and expiry and is shown once. The old key is refused once "
                + "`grace_period_seconds` (default 0: at once) have passed. A key is rotated once; rotate its replacement next.",
            permission: "api_key.manage (organization keys)",
            body: .object([("grace_period_seconds", .integer(minimum: 0, maximum: 604_800))]),
            bodyRequired: false,
            data: .reference("APIKey"),
            status: 201,
            errors: [403, 404, 409]
        ),

        // Audit log
        OpenAPIOperation(
            method: "get",
            path: "/v1/organizations/:id/audit-logs",
            tag: "audit",
            summary: "The organization's audit log, oldest first",
            description: "Every mutation of the organization's identity data and keys, and failed authentications with its keys, each "
                + "hash-chained to the organization's previous record (`authz audit verify` checks the chains).",
            permission: "audit_log.read",
            query: Self.auditQuery,
            data: .reference("AuditRecord"),
            errors: [403, 404],
            paginated: true,
            cursor: Self.sequenceCursor
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/audit-logs",
            tag: "audit",
            summary: "Every organization's audit log and the platform's (platform admins)",
            query: Self.auditQuery + [("organization_id", .uuid, "Only this organization's records.")],
            data: .reference("AuditRecord"),
            errors: [403],
            paginated: true,
            cursor: Self.sequenceCursor
        ),

        // Checks
        OpenAPIOperation(
            method: "post",
            path: "/v1/authz/check",
            tag: "authz",
            summary: "May this subject do this to that resource?",
            description: "Without `subject`, the caller (narrowed by its key's scopes). Another subject needs `authz.check` on the "
                + "resource's organization.",
            body: .reference("CheckRequest"),
            data: .reference("CheckResult"),
            errors: [403, 404]
        ),
        OpenAPIOperation(
            method: "post",
            path: "/v1/authz/check-batch",
            tag: "authz",
            summary: "1 to 1,000 checks, answered in order",
            body: .object(
                [("checks", .array(.reference("CheckBatchItem"), maxItems: 1000, minItems: 1)), ("consistency", .reference("Consistency"))],
                required: ["checks"]
            ),
            data: .object([("results", .array(.reference("CheckResult"))), ("revision", .string())], required: ["results", "revision"]),
            errors: [403, 404]
        ),
        OpenAPIOperation(
            method: "post",
            path: "/v1/authz/lookup-resources",
            tag: "authz",
            summary: "The resources of a type on which a subject holds a permission",
            description: "In a stable order; the cursor pins the revision so pages are consistent.",
            body: .reference("LookupResourcesRequest"),
            data: .object([("items", .array(.reference("Reference"))), ("revision", .string())], required: ["items", "revision"]),
            errors: [403, 404, 410]
        ),
        OpenAPIOperation(
            method: "post",
            path: "/v1/authz/lookup-subjects",
            tag: "authz",
            summary: "The principals holding a permission on a resource",
            body: .reference("LookupSubjectsRequest"),
            data: .object([("items", .array(.reference("Reference"))), ("revision", .string())], required: ["items", "revision"]),
            errors: [403, 404, 410]
        ),

        // Providers
        OpenAPIOperation(
            method: "get",
            path: "/v1/providers",
            tag: "providers",
            summary: "The providers this service runs (name, capabilities, price)",
            description: "The catalog is the same for every caller; with `organization_id`, the caller must hold `provider.read` there.",
            query: [("organization_id", .uuid, "Check that the caller may use providers in this organization.")],
            data: .object([("items", .array(.reference("Provider")))], required: ["items"]),
            errors: [403, 404],
            paginated: false
        ),
        OpenAPIOperation(
            method: "post",
            path: "/v1/providers/estimate",
            tag: "providers",
            summary: "Units and cost an input would take, without running it",
            permission: "provider.read",
            body: .reference("EstimateRequest"),
            data: .object(
                [("provider", .string()), ("units", .integer(minimum: 0)), ("cost", .integer(minimum: 0))],
                required: ["provider", "units", "cost"]
            ),
            errors: [403, 404]
        ),
        OpenAPIOperation(
            method: "post",
            path: "/v1/providers/execute",
            tag: "providers",
            summary: "Run a provider now and return its output",
            description: "Writes a usage record (and an audit record) when it succeeds. A provider's failure is 502 `provider_failed`. "
                + "`echo` takes `{\"text\"}`; `sleep` takes `{\"milliseconds\": 0..60000, \"fail_with\"?}`.",
            permission: "provider.execute",
            body: .reference("WorkRequest"),
            data: .object(
                [
                    ("provider", .string()), ("output", .object([("text", .string())])),
                    ("usage", .object([("units", .integer(minimum: 0)), ("cost", .integer(minimum: 0)), ("record_id", .uuid)])),
                ],
                required: ["provider", "output", "usage"]
            ),
            errors: [403, 404, 502]
        ),
        OpenAPIOperation(
            method: "post",
            path: "/v1/providers/execute/stream",
            tag: "providers",
            summary: "Run a provider, streaming its tokens",
            description: "Invalid input is refused before the stream starts (400).",
            kind: .eventStream(
                "`event: token` with `{\"text\"}` per token, then `event: usage` with `{output, units, cost, record_id}`; a provider "
                    + "failure ends the stream with `event: error` and `{code, message}`."
            ),
            permission: "provider.execute",
            body: .reference("WorkRequest"),
            errors: [403, 404]
        ),

        // Jobs
        OpenAPIOperation(
            method: "post",
            path: "/v1/jobs",
            tag: "jobs",
            summary: "Submit a job; it is queued with its cost estimate",
            description: "Run by a bounded worker pool: queued → running → succeeded | failed | cancelled. A job left running by a "
                + "process that stopped is failed when its claim runs out (30 s), never left running.",
            permission: "job.create (on the team when `team_id` is given)",
            body: .reference("WorkRequest"),
            data: .reference("Job"),
            status: 201,
            errors: [403, 404, 409],
            idempotent: true
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/jobs",
            tag: "jobs",
            summary: "The jobs the caller may read, oldest first",
            description: "Filtered through the evaluator's lookup: only jobs on which the caller holds `job.read`.",
            query: [
                ("organization_id", .uuid, "Only this organization's jobs; without it, every organization the caller belongs to."),
                ("status", .enumeration(["queued", "running", "succeeded", "failed", "cancelled"]), "Only jobs in this status."),
            ],
            data: .reference("Job"),
            errors: [403, 404],
            paginated: true
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/jobs/:id",
            tag: "jobs",
            summary: "A job",
            permission: "job.read",
            data: .reference("Job"),
            errors: [403, 404]
        ),
        OpenAPIOperation(
            method: "post",
            path: "/v1/jobs/:id/cancel",
            tag: "jobs",
            summary: "Cancel a queued or running job",
            description: "A finished job is 409. The creator may cancel its own job.",
            permission: "job.cancel",
            data: .reference("Job"),
            errors: [403, 404, 409]
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/jobs/:id/usage",
            tag: "jobs",
            summary: "The usage records of a job",
            permission: "job.read",
            data: .reference("UsageRecord"),
            errors: [403, 404],
            paginated: true
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/jobs/:id/events",
            tag: "jobs",
            summary: "The job's events from the start, then live until it ends",
            description: "Resumes after `Last-Event-ID` (or `?last_event_id=`).",
            kind: .eventStream("`event: status` with `{status, output?, error?}`, `id` the event's number within the job."),
            permission: "job.read",
            errors: [403, 404]
        ),

        // Usage
        OpenAPIOperation(
            method: "get",
            path: "/v1/organizations/:id/usage",
            tag: "usage",
            summary: "Usage sums, grouped by provider, team or day",
            permission: "usage.read",
            query: [
                ("from", .timestamp, "From this time on (inclusive)."), ("to", .timestamp, "Before this time (exclusive)."),
                ("group_by", .enumeration(["provider", "team", "day"]), "Default `provider`."), ("job_id", .uuid, "Only this job's usage."),
            ],
            data: .object(
                [
                    ("group_by", .string()), ("from", .nullable(.timestamp)), ("to", .nullable(.timestamp)),
                    ("groups", .array(.reference("UsageTotal"))),
                    ("total", .reference("UsageTotal")),
                ],
                required: ["group_by", "from", "to", "groups", "total"]
            ),
            errors: [403, 404]
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/organizations/:id/usage/records",
            tag: "usage",
            summary: "Usage records, oldest first",
            permission: "usage.read",
            query: [
                ("from", .timestamp, "From this time on (inclusive)."), ("to", .timestamp, "Before this time (exclusive)."),
                ("job_id", .uuid, "Only this job's usage."),
            ],
            data: .reference("UsageRecord"),
            errors: [403, 404],
            paginated: true
        ),

        // Events
        OpenAPIOperation(
            method: "get",
            path: "/v1/events/stream",
            tag: "events",
            summary: "Every state change the caller may see, live",
            description: "Events of the organizations where the caller holds `event.read`, checked as each is delivered (a member "
                + "removed mid-stream stops receiving that organization's events). Without `Last-Event-ID` the stream starts now; with "
                + "it, it replays what followed that event, without gaps. A subscriber that falls too far behind gets `event: error` "
                + "(`slow_consumer`) and is disconnected. A principal holds at most 16 open streams per replica, of every streaming route "
                + "together (`--streams-per-principal`); the next is 429 `rate_limited` until one ends.",
            kind: .eventStream("Each event's `data` is a `ChangeEvent`; its `id` is the event id. A `: keep-alive` comment every 15 s."),
            query: [("last_event_id", .string(), "Same as the `Last-Event-ID` header.")]
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/events/ws",
            tag: "events",
            summary: "The same events over a WebSocket",
            description: "Each text message is a `ChangeEvent`. Resume with `?last_event_id=`. A subscriber that falls too far behind "
                + "is closed with code 1008.",
            kind: .webSocket("Text messages, each a `ChangeEvent`."),
            query: [("last_event_id", .string(), "Resume after this event.")]
        ),

        // Assets
        OpenAPIOperation(
            method: "post",
            path: "/v1/assets",
            tag: "assets",
            summary: "Upload a file (the raw body, up to 25 MiB)",
            description: "Streamed to a content-addressed blob folder, never held whole in memory; equal content is stored once. "
                + "`Content-Type` is kept and served back (default `application/octet-stream`).",
            permission: "asset.create (on the team when `team_id` is given)",
            query: [
                ("organization_id", .uuid, "Required."),
                (
                    "name", .string(length: 1...255, pattern: "^[^/\\r\\n]*[^/ \\t\\r\\n][^/\\r\\n]*$"),
                    "Required: 1 to 255 characters, no slashes or line breaks."
                ),
                ("team_id", .uuid, "The team that owns it."),
            ],
            rawBody: true,
            data: .reference("Asset"),
            status: 201,
            errors: [403, 404, 413]
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/assets/:id",
            tag: "assets",
            summary: "The file's bytes",
            description: "Not enveloped. `ETag` is the SHA-256 of the content; `If-None-Match` with it answers 304.",
            kind: .download,
            permission: "asset.read",
            errors: [403, 404]
        ),
        OpenAPIOperation(
            method: "delete",
            path: "/v1/assets/:id",
            tag: "assets",
            summary: "Delete an asset (its blob goes with the last asset naming it)",
            permission: "asset.delete",
            data: .reference("Asset"),
            errors: [403, 404]
        ),

        // Workflows
        OpenAPIOperation(
            method: "post",
            path: "/v1/workflow-definitions",
            tag: "workflows",
            summary: "Define a workflow: a graph of provider calls",
            description: "Validated: 1 to 100 nodes, unique ids, known providers with input they accept, dependencies on nodes of the "
                + "definition, no cycle (the error names it).",
            permission: "workflow.create",
            body: .object(
                [("organization_id", .uuid), ("name", Self.name(200)), ("nodes", .array(.reference("WorkflowNode"), maxItems: 100, minItems: 1))],
                required: ["organization_id", "name", "nodes"]
            ),
            data: .reference("WorkflowDefinition"),
            status: 201,
            errors: [403, 404]
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/workflow-definitions",
            tag: "workflows",
            summary: "The organization's workflow definitions the caller may read",
            query: [("organization_id", .uuid, "Required.")],
            data: .reference("WorkflowDefinition"),
            errors: [403, 404],
            paginated: true
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/workflow-definitions/:id",
            tag: "workflows",
            summary: "A workflow definition",
            permission: "workflow.read",
            data: .reference("WorkflowDefinition"),
            errors: [403, 404]
        ),
        OpenAPIOperation(
            method: "post",
            path: "/v1/workflow-runs",
            tag: "workflows",
            summary: "Create a run of a definition (status `created`)",
            description: "`input` overrides node inputs by node id: `{\"node\": {\"text\": \"...\"}}`. Start it with `.../start`.",
            permission: "workflow_run.create (on the team when `team_id` is given)",
            body: .object(
                [("definition_id", .uuid), ("team_id", .uuid), ("input", .object([], additional: true))],
                required: ["definition_id"]
            ),
            data: .reference("WorkflowRun"),
            status: 201,
            errors: [403, 404],
            idempotent: true
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/workflow-runs/:id",
            tag: "workflows",
            summary: "A workflow run and the state of each node",
            permission: "workflow_run.read",
            data: .reference("WorkflowRun"),
            errors: [403, 404]
        ),
        OpenAPIOperation(
            method: "post",
            path: "/v1/workflow-runs/:id/start",
            tag: "workflows",
            summary: "Start a run",
            description: "Nodes run in dependency order, independent ones at once; a failed node fails the run. A run starts once: "
                + "starting it again is 409.",
            permission: "workflow_run.start",
            data: .reference("WorkflowRun"),
            errors: [403, 404, 409]
        ),
        OpenAPIOperation(
            method: "post",
            path: "/v1/workflow-runs/:id/cancel",
            tag: "workflows",
            summary: "Cancel a run that has not finished",
            description: "A finished run is 409. The creator may cancel its own run.",
            permission: "workflow_run.cancel",
            data: .reference("WorkflowRun"),
            errors: [403, 404, 409]
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/workflow-runs/:id/events",
            tag: "workflows",
            summary: "The run's events from the start, then live until it ends",
            description: "Resumes after `Last-Event-ID` (or `?last_event_id=`).",
            kind: .eventStream("`event: status` with `{status, error?}`; `event: node` with `{node, status, output?, error?}`."),
            permission: "workflow_run.read",
            errors: [403, 404]
        ),

        // Shares
        OpenAPIOperation(
            method: "post",
            path: "/v1/shares",
            tag: "shares",
            summary: "Share a job, workflow run or asset by a public link",
            description: "The token (256 bits) is shown once. The public snapshot is taken now, holds only public fields, and is sealed "
                + "with a keyed BLAKE2b MAC. `password` (8 to 256 characters) is stored as an argon2id hash.",
            permission: "share.create (on the resource)",
            body: .object(
                [
                    ("resource", .object([("type", .enumeration(["job", "workflow_run", "asset"])), ("id", .uuid)], required: ["type", "id"])),
                    ("password", .string(length: 8...256)), ("expires_at", .timestamp),
                ],
                required: ["resource"]
            ),
            data: .reference("Share"),
            status: 201,
            errors: [403, 404]
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/shares",
            tag: "shares",
            summary: "The organization's shares the caller may read (never their tokens)",
            query: [("organization_id", .uuid, "Required.")],
            data: .reference("Share"),
            errors: [403, 404],
            paginated: true
        ),
        OpenAPIOperation(
            method: "post",
            path: "/v1/shares/:id/revoke",
            tag: "shares",
            summary: "Revoke a share; its link answers 410 at once",
            description: "The creator may revoke its own share. Revoking twice is 409.",
            permission: "share.revoke",
            data: .reference("Share"),
            errors: [403, 404, 409]
        ),
        OpenAPIOperation(
            method: "get",
            path: "/v1/public/shares/:token",
            tag: "shares",
            summary: "The public snapshot behind a share link (no credential)",
            description: "Password in `X-Share-Password`. States (each with `Cache-Control`): 200 `private, no-store`; 404 "
                + "`share_not_found`, 410 `share_revoked` / `share_expired`, 401 `share_password_required` / `share_wrong_password`, "
                + "429 `share_password_locked` / `share_rate_limited` (with `Retry-After` and rate-limit headers), 409 "
                + "`evidence_unverified` / `artifact_filtered` / `public_payload_policy_rejected`, all `no-store`. Five wrong "
                + "passwords from one client in 15 minutes lock it out of the share for 15 minutes; 50 on one share in an hour lock "
                + "the share for an hour; 60 reads per minute per client per share.",
            kind: .publicEnveloped,
            data: .reference("PublicSnapshot"),
            errors: [401, 404, 409, 410]
        ),
    ]
}
