/// The PostgreSQL schema, step for step the same as SQLite's (`SQLiteMigrations`), in
/// PostgreSQL's types. Steps are applied under an advisory lock, so replicas starting
/// together migrate once.
enum PostgresMigrations {
    static let steps: [(version: Int, statements: [String])] = [
        (
            1,
            [
                """
                CREATE TABLE principals (
                    id UUID PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('user', 'service')),
                    email TEXT,
                    name TEXT,
                    external_subject TEXT UNIQUE,
                    platform_admin BOOLEAN NOT NULL DEFAULT FALSE,
                    created_at TIMESTAMPTZ NOT NULL
                )
                """,
                """
                CREATE TABLE organizations (
                    id UUID PRIMARY KEY,
                    name TEXT NOT NULL,
                    slug TEXT NOT NULL UNIQUE,
                    created_at TIMESTAMPTZ NOT NULL
                )
                """,
                """
                CREATE TABLE memberships (
                    organization_id UUID NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    principal_id UUID NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
                    role TEXT NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL,
                    PRIMARY KEY (organization_id, principal_id)
                )
                """,
                "CREATE INDEX memberships_by_principal ON memberships (principal_id)",
                """
                CREATE TABLE teams (
                    id UUID PRIMARY KEY,
                    organization_id UUID NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL,
                    UNIQUE (organization_id, name)
                )
                """,
                """
                CREATE TABLE team_members (
                    team_id UUID NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
                    principal_id UUID NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
                    role TEXT NOT NULL,
                    PRIMARY KEY (team_id, principal_id)
                )
                """,
                "CREATE INDEX team_members_by_principal ON team_members (principal_id)",
                """
                CREATE TABLE invitations (
                    id UUID PRIMARY KEY,
                    organization_id UUID NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    email TEXT NOT NULL,
                    role TEXT NOT NULL,
                    team_id UUID REFERENCES teams (id) ON DELETE SET NULL,
                    team_role TEXT,
                    invited_by UUID NOT NULL REFERENCES principals (id),
                    token_digest TEXT NOT NULL UNIQUE,
                    created_at TIMESTAMPTZ NOT NULL,
                    expires_at TIMESTAMPTZ NOT NULL,
                    accepted_at TIMESTAMPTZ,
                    accepted_by UUID REFERENCES principals (id),
                    revoked_at TIMESTAMPTZ
                )
                """,
                "CREATE INDEX invitations_by_organization ON invitations (organization_id, email)",
                """
                CREATE TABLE api_keys (
                    id UUID PRIMARY KEY,
                    principal_id UUID NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
                    organization_id UUID REFERENCES organizations (id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    secret_hash TEXT NOT NULL,
                    role TEXT,
                    scopes TEXT,
                    status TEXT NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL,
                    expires_at TIMESTAMPTZ,
                    last_used_at TIMESTAMPTZ
                )
                """,
                """
                CREATE TABLE idempotency_records (
                    principal_id UUID NOT NULL,
                    key_digest BYTEA NOT NULL,
                    request_digest BYTEA NOT NULL,
                    response BYTEA NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL,
                    PRIMARY KEY (principal_id, key_digest)
                )
                """,
                """
                CREATE TABLE change_log (
                    revision BIGINT PRIMARY KEY,
                    entries TEXT NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL
                )
                """,
            ]
        ),
        (
            2,
            [
                "ALTER TABLE api_keys ADD COLUMN created_by UUID REFERENCES principals (id) ON DELETE SET NULL",
                "ALTER TABLE api_keys ADD COLUMN replaced_by UUID",
                "CREATE INDEX api_keys_by_principal ON api_keys (principal_id, id)",
                "CREATE INDEX api_keys_by_organization ON api_keys (organization_id, id)",
                """
                CREATE TABLE audit_events (
                    sequence BIGSERIAL PRIMARY KEY,
                    id UUID NOT NULL UNIQUE,
                    organization_id UUID,
                    actor_id UUID,
                    key_id UUID,
                    action TEXT NOT NULL,
                    target_type TEXT,
                    target_id UUID,
                    outcome TEXT NOT NULL,
                    request_id UUID,
                    client_address TEXT,
                    user_agent TEXT,
                    data TEXT NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL,
                    hash BYTEA NOT NULL
                )
                """,
                """
                CREATE TABLE audit_chains (
                    chain TEXT PRIMARY KEY,
                    length BIGINT NOT NULL,
                    head BYTEA NOT NULL
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
                    id UUID PRIMARY KEY,
                    organization_id UUID NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    team_id UUID REFERENCES teams (id) ON DELETE SET NULL,
                    created_by UUID REFERENCES principals (id) ON DELETE SET NULL,
                    provider TEXT NOT NULL,
                    input TEXT NOT NULL,
                    status TEXT NOT NULL,
                    estimated_units BIGINT NOT NULL,
                    estimated_cost BIGINT NOT NULL,
                    output TEXT,
                    error TEXT,
                    runner UUID,
                    lease_until TIMESTAMPTZ,
                    created_at TIMESTAMPTZ NOT NULL,
                    started_at TIMESTAMPTZ,
                    finished_at TIMESTAMPTZ
                )
                """,
                "CREATE INDEX jobs_by_status ON jobs (status, id)",
                """
                CREATE TABLE resource_events (
                    resource_id UUID NOT NULL,
                    sequence BIGINT NOT NULL,
                    type TEXT NOT NULL,
                    data TEXT NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL,
                    PRIMARY KEY (resource_id, sequence)
                )
                """,
                """
                CREATE TABLE usage_records (
                    id UUID PRIMARY KEY,
                    organization_id UUID NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    team_id UUID,
                    principal_id UUID,
                    provider TEXT NOT NULL,
                    units BIGINT NOT NULL,
                    cost BIGINT NOT NULL,
                    job_id UUID,
                    run_id UUID,
                    created_at TIMESTAMPTZ NOT NULL
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
                    id UUID PRIMARY KEY,
                    organization_id UUID NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    team_id UUID REFERENCES teams (id) ON DELETE SET NULL,
                    created_by UUID REFERENCES principals (id) ON DELETE SET NULL,
                    name TEXT NOT NULL,
                    content_type TEXT NOT NULL,
                    size BIGINT NOT NULL,
                    sha256 TEXT NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL
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
                    id UUID PRIMARY KEY,
                    organization_id UUID NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    nodes TEXT NOT NULL,
                    created_by UUID REFERENCES principals (id) ON DELETE SET NULL,
                    created_at TIMESTAMPTZ NOT NULL
                )
                """,
                """
                CREATE TABLE workflow_runs (
                    id UUID PRIMARY KEY,
                    organization_id UUID NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    team_id UUID REFERENCES teams (id) ON DELETE SET NULL,
                    definition_id UUID NOT NULL REFERENCES workflow_definitions (id) ON DELETE CASCADE,
                    created_by UUID REFERENCES principals (id) ON DELETE SET NULL,
                    input TEXT NOT NULL,
                    status TEXT NOT NULL,
                    nodes TEXT NOT NULL,
                    error TEXT,
                    runner UUID,
                    lease_until TIMESTAMPTZ,
                    created_at TIMESTAMPTZ NOT NULL,
                    started_at TIMESTAMPTZ,
                    finished_at TIMESTAMPTZ
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
                    id UUID PRIMARY KEY,
                    organization_id UUID NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    team_id UUID REFERENCES teams (id) ON DELETE SET NULL,
                    created_by UUID REFERENCES principals (id) ON DELETE SET NULL,
                    resource_type TEXT NOT NULL,
                    resource_id UUID NOT NULL,
                    token_digest BYTEA NOT NULL UNIQUE,
                    password_hash TEXT,
                    snapshot TEXT NOT NULL,
                    mac BYTEA NOT NULL,
                    revoked_at TIMESTAMPTZ,
                    expires_at TIMESTAMPTZ,
                    created_at TIMESTAMPTZ NOT NULL
                )
                """,
                "CREATE INDEX shares_by_organization ON shares (organization_id, id)",
                """
                CREATE TABLE share_failures (
                    share_id UUID NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
                    client TEXT NOT NULL,
                    at TIMESTAMPTZ NOT NULL
                )
                """,
                "CREATE INDEX share_failures_by_share ON share_failures (share_id, at)",
                """
                CREATE TABLE share_locks (
                    share_id UUID NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
                    client TEXT NOT NULL,
                    until TIMESTAMPTZ NOT NULL,
                    PRIMARY KEY (share_id, client)
                )
                """,
            ]
        ),
        (
            7,
            // The key a rotation replaced: the new key names its predecessor.
            ["ALTER TABLE api_keys ADD COLUMN replaces UUID"]
        ),
    ]
}
