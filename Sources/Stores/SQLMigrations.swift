/// The schema, as numbered steps, for both databases: column types are `SQLFragment`s, so
/// each table is written once. A step never changes once released; the schema grows by
/// appending steps. Each runs in its own transaction together with its `schema_migrations`
/// row (on PostgreSQL under an advisory lock, so replicas starting together migrate once),
/// so a failed step leaves the previous version intact.
enum SQLMigrations {
    static let steps: [(version: Int, statements: [SQLStatement])] = [
        (
            1,
            [
                """
                CREATE TABLE principals (
                    id \(.id) PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('user', 'service')),
                    email TEXT,
                    name TEXT,
                    external_subject TEXT UNIQUE,
                    platform_admin \(.flag) NOT NULL DEFAULT \(.no),
                    created_at \(.time) NOT NULL
                )
                """,
                """
                CREATE TABLE organizations (
                    id \(.id) PRIMARY KEY,
                    name TEXT NOT NULL,
                    slug TEXT NOT NULL UNIQUE,
                    created_at \(.time) NOT NULL
                )
                """,
                """
                CREATE TABLE memberships (
                    organization_id \(.id) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    principal_id \(.id) NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
                    role TEXT NOT NULL,
                    created_at \(.time) NOT NULL,
                    PRIMARY KEY (organization_id, principal_id)
                )
                """,
                "CREATE INDEX memberships_by_principal ON memberships (principal_id)",
                """
                CREATE TABLE teams (
                    id \(.id) PRIMARY KEY,
                    organization_id \(.id) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    created_at \(.time) NOT NULL,
                    UNIQUE (organization_id, name)
                )
                """,
                """
                CREATE TABLE team_members (
                    team_id \(.id) NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
                    principal_id \(.id) NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
                    role TEXT NOT NULL,
                    PRIMARY KEY (team_id, principal_id)
                )
                """,
                "CREATE INDEX team_members_by_principal ON team_members (principal_id)",
                """
                CREATE TABLE invitations (
                    id \(.id) PRIMARY KEY,
                    organization_id \(.id) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    email TEXT NOT NULL,
                    role TEXT NOT NULL,
                    team_id \(.id) REFERENCES teams (id) ON DELETE SET NULL,
                    team_role TEXT,
                    invited_by \(.id) NOT NULL REFERENCES principals (id),
                    token_digest TEXT NOT NULL UNIQUE,
                    created_at \(.time) NOT NULL,
                    expires_at \(.time) NOT NULL,
                    accepted_at \(.time),
                    accepted_by \(.id) REFERENCES principals (id),
                    revoked_at \(.time)
                )
                """,
                "CREATE INDEX invitations_by_organization ON invitations (organization_id, email)",
                """
                CREATE TABLE api_keys (
                    id \(.id) PRIMARY KEY,
                    principal_id \(.id) NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
                    organization_id \(.id) REFERENCES organizations (id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    secret_hash TEXT NOT NULL,
                    role TEXT,
                    scopes TEXT,
                    status TEXT NOT NULL,
                    created_at \(.time) NOT NULL,
                    expires_at \(.time),
                    last_used_at \(.time)
                )
                """,
                """
                CREATE TABLE idempotency_records (
                    principal_id \(.id) NOT NULL,
                    key_digest \(.bytes) NOT NULL,
                    request_digest \(.bytes) NOT NULL,
                    response \(.bytes) NOT NULL,
                    created_at \(.time) NOT NULL,
                    PRIMARY KEY (principal_id, key_digest)
                )
                """,
                """
                CREATE TABLE change_log (
                    revision \(.revisionKey),
                    entries TEXT NOT NULL,
                    created_at \(.time) NOT NULL
                )
                """,
            ]
        ),
        (
            2,
            [
                "ALTER TABLE api_keys ADD COLUMN created_by \(.id) REFERENCES principals (id) ON DELETE SET NULL",
                "ALTER TABLE api_keys ADD COLUMN replaced_by \(.id)",
                "CREATE INDEX api_keys_by_principal ON api_keys (principal_id, id)",
                "CREATE INDEX api_keys_by_organization ON api_keys (organization_id, id)",
                """
                CREATE TABLE audit_events (
                    sequence \(.serialKey),
                    id \(.id) NOT NULL UNIQUE,
                    organization_id \(.id),
                    actor_id \(.id),
                    key_id \(.id),
                    action TEXT NOT NULL,
                    target_type TEXT,
                    target_id \(.id),
                    outcome TEXT NOT NULL,
                    request_id \(.id),
                    client_address TEXT,
                    user_agent TEXT,
                    data TEXT NOT NULL,
                    created_at \(.time) NOT NULL,
                    hash \(.bytes) NOT NULL
                )
                """,
                """
                CREATE TABLE audit_chains (
                    chain TEXT PRIMARY KEY,
                    length \(.bigint) NOT NULL,
                    head \(.bytes) NOT NULL
                )
                """,
                "CREATE INDEX audit_events_by_organization ON audit_events (organization_id, sequence)",
            ]
        ),
        (
            3,
            [
                """
                CREATE TABLE jobs (
                    id \(.id) PRIMARY KEY,
                    organization_id \(.id) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    team_id \(.id) REFERENCES teams (id) ON DELETE SET NULL,
                    created_by \(.id) REFERENCES principals (id) ON DELETE SET NULL,
                    provider TEXT NOT NULL,
                    input TEXT NOT NULL,
                    status TEXT NOT NULL,
                    estimated_units \(.bigint) NOT NULL,
                    estimated_cost \(.bigint) NOT NULL,
                    output TEXT,
                    error TEXT,
                    runner \(.id),
                    lease_until \(.time),
                    created_at \(.time) NOT NULL,
                    started_at \(.time),
                    finished_at \(.time)
                )
                """,
                "CREATE INDEX jobs_by_status ON jobs (status, id)",
                """
                CREATE TABLE resource_events (
                    resource_id \(.id) NOT NULL,
                    sequence \(.bigint) NOT NULL,
                    type TEXT NOT NULL,
                    data TEXT NOT NULL,
                    created_at \(.time) NOT NULL,
                    PRIMARY KEY (resource_id, sequence)
                )
                """,
                """
                CREATE TABLE usage_records (
                    id \(.id) PRIMARY KEY,
                    organization_id \(.id) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    team_id \(.id),
                    principal_id \(.id),
                    provider TEXT NOT NULL,
                    units \(.bigint) NOT NULL,
                    cost \(.bigint) NOT NULL,
                    job_id \(.id),
                    run_id \(.id),
                    created_at \(.time) NOT NULL
                )
                """,
                "CREATE INDEX usage_records_by_organization ON usage_records (organization_id, id)",
            ]
        ),
        (
            4,
            [
                """
                CREATE TABLE assets (
                    id \(.id) PRIMARY KEY,
                    organization_id \(.id) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    team_id \(.id) REFERENCES teams (id) ON DELETE SET NULL,
                    created_by \(.id) REFERENCES principals (id) ON DELETE SET NULL,
                    name TEXT NOT NULL,
                    content_type TEXT NOT NULL,
                    size \(.bigint) NOT NULL,
                    sha256 TEXT NOT NULL,
                    created_at \(.time) NOT NULL
                )
                """,
                "CREATE INDEX assets_by_sha256 ON assets (sha256)",
            ]
        ),
        (
            5,
            [
                """
                CREATE TABLE workflow_definitions (
                    id \(.id) PRIMARY KEY,
                    organization_id \(.id) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    nodes TEXT NOT NULL,
                    created_by \(.id) REFERENCES principals (id) ON DELETE SET NULL,
                    created_at \(.time) NOT NULL
                )
                """,
                """
                CREATE TABLE workflow_runs (
                    id \(.id) PRIMARY KEY,
                    organization_id \(.id) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    team_id \(.id) REFERENCES teams (id) ON DELETE SET NULL,
                    definition_id \(.id) NOT NULL REFERENCES workflow_definitions (id) ON DELETE CASCADE,
                    created_by \(.id) REFERENCES principals (id) ON DELETE SET NULL,
                    input TEXT NOT NULL,
                    status TEXT NOT NULL,
                    nodes TEXT NOT NULL,
                    error TEXT,
                    runner \(.id),
                    lease_until \(.time),
                    created_at \(.time) NOT NULL,
                    started_at \(.time),
                    finished_at \(.time)
                )
                """,
                "CREATE INDEX workflow_runs_by_status ON workflow_runs (status, id)",
            ]
        ),
        (
            6,
            [
                """
                CREATE TABLE shares (
                    id \(.id) PRIMARY KEY,
                    organization_id \(.id) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    team_id \(.id) REFERENCES teams (id) ON DELETE SET NULL,
                    created_by \(.id) REFERENCES principals (id) ON DELETE SET NULL,
                    resource_type TEXT NOT NULL,
                    resource_id \(.id) NOT NULL,
                    token_digest \(.bytes) NOT NULL UNIQUE,
                    password_hash TEXT,
                    snapshot TEXT NOT NULL,
                    mac \(.bytes) NOT NULL,
                    revoked_at \(.time),
                    expires_at \(.time),
                    created_at \(.time) NOT NULL
                )
                """,
                "CREATE INDEX shares_by_organization ON shares (organization_id, id)",
                """
                CREATE TABLE share_failures (
                    share_id \(.id) NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
                    client TEXT NOT NULL,
                    at \(.time) NOT NULL
                )
                """,
                "CREATE INDEX share_failures_by_share ON share_failures (share_id, at)",
                """
                CREATE TABLE share_locks (
                    share_id \(.id) NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
                    client TEXT NOT NULL,
                    until \(.time) NOT NULL,
                    PRIMARY KEY (share_id, client)
                )
                """,
            ]
        ),
        (
            7,
            // The key a rotation replaced: the new key names its predecessor.
            ["ALTER TABLE api_keys ADD COLUMN replaces \(.id)"]
        ),
    ]
}
