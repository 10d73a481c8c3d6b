/// The schema, as numbered steps. A step never changes once released; the schema grows by
/// appending steps. Each runs in its own transaction together with its `schema_migrations`
/// row, so a failed step leaves the previous version intact.
enum SQLiteMigrations {
    static let steps: [(version: Int, statements: [String])] = [
        (
            1,
            [
                """
                CREATE TABLE principals (
                    id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('user', 'service')),
                    email TEXT,
                    name TEXT,
                    external_subject TEXT UNIQUE,
                    platform_admin INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL
                )
                """,
                """
                CREATE TABLE organizations (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    slug TEXT NOT NULL UNIQUE,
                    created_at INTEGER NOT NULL
                )
                """,
                """
                CREATE TABLE memberships (
                    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    principal_id TEXT NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
                    role TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (organization_id, principal_id)
                )
                """,
                "CREATE INDEX memberships_by_principal ON memberships (principal_id)",
                """
                CREATE TABLE teams (
                    id TEXT PRIMARY KEY,
                    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    UNIQUE (organization_id, name)
                )
                """,
                """
                CREATE TABLE team_members (
                    team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
                    principal_id TEXT NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
                    role TEXT NOT NULL,
                    PRIMARY KEY (team_id, principal_id)
                )
                """,
                """
                CREATE TABLE invitations (
                    id TEXT PRIMARY KEY,
                    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    email TEXT NOT NULL,
                    role TEXT NOT NULL,
                    team_id TEXT REFERENCES teams (id) ON DELETE SET NULL,
                    team_role TEXT,
                    invited_by TEXT NOT NULL REFERENCES principals (id),
                    token_digest TEXT NOT NULL UNIQUE,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    accepted_at INTEGER,
                    accepted_by TEXT REFERENCES principals (id),
                    revoked_at INTEGER
                )
                """,
                "CREATE INDEX invitations_by_organization ON invitations (organization_id, email)",
                "CREATE INDEX team_members_by_principal ON team_members (principal_id)",
                """
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY,
                    principal_id TEXT NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
                    organization_id TEXT REFERENCES organizations (id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    secret_hash TEXT NOT NULL,
                    role TEXT,
                    scopes TEXT,
                    status TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER,
                    last_used_at INTEGER
                )
                """,
                """
                CREATE TABLE idempotency_records (
                    principal_id TEXT NOT NULL,
                    key_digest BLOB NOT NULL,
                    request_digest BLOB NOT NULL,
                    response BLOB NOT NULL,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (principal_id, key_digest)
                )
                """,
                """
                CREATE TABLE change_log (
                    revision INTEGER PRIMARY KEY AUTOINCREMENT,
                    entries TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                )
                """,
            ]
        ),
        (
            2,
            [
                "ALTER TABLE api_keys ADD COLUMN created_by TEXT REFERENCES principals (id) ON DELETE SET NULL",
                "ALTER TABLE api_keys ADD COLUMN replaced_by TEXT",
                "CREATE INDEX api_keys_by_principal ON api_keys (principal_id, id)",
                "CREATE INDEX api_keys_by_organization ON api_keys (organization_id, id)",
                """
                CREATE TABLE audit_events (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    organization_id TEXT,
                    actor_id TEXT,
                    key_id TEXT,
                    action TEXT NOT NULL,
                    target_type TEXT,
                    target_id TEXT,
                    outcome TEXT NOT NULL,
                    request_id TEXT,
                    client_address TEXT,
                    user_agent TEXT,
                    data TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    hash BLOB NOT NULL
                )
                """,
                """
                CREATE TABLE audit_chains (
                    chain TEXT PRIMARY KEY,
                    length INTEGER NOT NULL,
                    head BLOB NOT NULL
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
                    id TEXT PRIMARY KEY,
                    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    team_id TEXT REFERENCES teams (id) ON DELETE SET NULL,
                    created_by TEXT REFERENCES principals (id) ON DELETE SET NULL,
                    provider TEXT NOT NULL,
                    input TEXT NOT NULL,
                    status TEXT NOT NULL,
                    estimated_units INTEGER NOT NULL,
                    estimated_cost INTEGER NOT NULL,
                    output TEXT,
                    error TEXT,
                    runner TEXT,
                    lease_until INTEGER,
                    created_at INTEGER NOT NULL,
                    started_at INTEGER,
                    finished_at INTEGER
                )
                """,
                "CREATE INDEX jobs_by_status ON jobs (status, id)",
                """
                CREATE TABLE resource_events (
                    resource_id TEXT NOT NULL,
                    sequence INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    data TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (resource_id, sequence)
                )
                """,
                """
                CREATE TABLE usage_records (
                    id TEXT PRIMARY KEY,
                    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    team_id TEXT,
                    principal_id TEXT,
                    provider TEXT NOT NULL,
                    units INTEGER NOT NULL,
                    cost INTEGER NOT NULL,
                    job_id TEXT,
                    run_id TEXT,
                    created_at INTEGER NOT NULL
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
                    id TEXT PRIMARY KEY,
                    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    team_id TEXT REFERENCES teams (id) ON DELETE SET NULL,
                    created_by TEXT REFERENCES principals (id) ON DELETE SET NULL,
                    name TEXT NOT NULL,
                    content_type TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    created_at INTEGER NOT NULL
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
                    id TEXT PRIMARY KEY,
                    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    nodes TEXT NOT NULL,
                    created_by TEXT REFERENCES principals (id) ON DELETE SET NULL,
                    created_at INTEGER NOT NULL
                )
                """,
                """
                CREATE TABLE workflow_runs (
                    id TEXT PRIMARY KEY,
                    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    team_id TEXT REFERENCES teams (id) ON DELETE SET NULL,
                    definition_id TEXT NOT NULL REFERENCES workflow_definitions (id) ON DELETE CASCADE,
                    created_by TEXT REFERENCES principals (id) ON DELETE SET NULL,
                    input TEXT NOT NULL,
                    status TEXT NOT NULL,
                    nodes TEXT NOT NULL,
                    error TEXT,
                    runner TEXT,
                    lease_until INTEGER,
                    created_at INTEGER NOT NULL,
                    started_at INTEGER,
                    finished_at INTEGER
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
                    id TEXT PRIMARY KEY,
                    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
                    team_id TEXT REFERENCES teams (id) ON DELETE SET NULL,
                    created_by TEXT REFERENCES principals (id) ON DELETE SET NULL,
                    resource_type TEXT NOT NULL,
                    resource_id TEXT NOT NULL,
                    token_digest BLOB NOT NULL UNIQUE,
                    password_hash TEXT,
                    snapshot TEXT NOT NULL,
                    mac BLOB NOT NULL,
                    revoked_at INTEGER,
                    expires_at INTEGER,
                    created_at INTEGER NOT NULL
                )
                """,
                "CREATE INDEX shares_by_organization ON shares (organization_id, id)",
                """
                CREATE TABLE share_failures (
                    share_id TEXT NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
                    client TEXT NOT NULL,
                    at INTEGER NOT NULL
                )
                """,
                "CREATE INDEX share_failures_by_share ON share_failures (share_id, at)",
                """
                CREATE TABLE share_locks (
                    share_id TEXT NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
                    client TEXT NOT NULL,
                    until INTEGER NOT NULL,
                    PRIMARY KEY (share_id, client)
                )
                """,
            ]
        ),
        (
            7,
            // The key a rotation replaced: the new key names its predecessor.
            ["ALTER TABLE api_keys ADD COLUMN replaces TEXT"]
        ),
    ]
}
