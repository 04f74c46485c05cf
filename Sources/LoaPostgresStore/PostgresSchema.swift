import Logging
import PostgresNIO

/// The PostgreSQL schema: one named migration per change, applied in order at open
/// under an advisory lock, so two controllers starting together migrate once.
///
/// Every table is keyed by `site`: one database holds many communes, and each
/// commune's rows (its log above all) stand apart. Times are `timestamptz`, bytes `bytea`.
enum PostgresSchema {
    /// The migrations, in order; a name once released never changes.
    static let migrations: [(name: String, statements: [String])] = [
        ("v1: media, announcements, zone documents, devices, events, log, users, schedules, sessions, audit, refusals", [
            """
            CREATE TABLE media (
                site text NOT NULL, sha256 text NOT NULL, bytes bigint NOT NULL, content_type text NOT NULL,
                duration_ms bigint NOT NULL, created_at timestamptz NOT NULL, PRIMARY KEY (site, sha256))
            """,
            """
            CREATE TABLE announcement (
                site text NOT NULL, id text NOT NULL, title text NOT NULL, category text NOT NULL, priority text NOT NULL,
                media_sha256 text NOT NULL, start_at timestamptz NOT NULL, created_at timestamptz NOT NULL,
                PRIMARY KEY (site, id), FOREIGN KEY (site, media_sha256) REFERENCES media (site, sha256))
            """,
            """
            CREATE TABLE announcement_hamlet (
                site text NOT NULL, announcement_id text NOT NULL, hamlet text NOT NULL,
                PRIMARY KEY (site, announcement_id, hamlet),
                FOREIGN KEY (site, announcement_id) REFERENCES announcement (site, id) ON DELETE CASCADE)
            """,
            "CREATE INDEX announcement_hamlet_by_hamlet ON announcement_hamlet (site, hamlet)",
            """
            CREATE TABLE zone_document (
                site text NOT NULL, zone text NOT NULL, version bigint NOT NULL, issued_at timestamptz NOT NULL,
                document bytea NOT NULL, PRIMARY KEY (site, zone))
            """,
            """
            CREATE TABLE device (
                site text NOT NULL, id text NOT NULL, zone text NOT NULL, status text NOT NULL, last_seen timestamptz NOT NULL,
                software text, volume bigint, cached_media bigint, cache_bytes bigint, last_error text, clock_offset_ms double precision,
                PRIMARY KEY (site, id))
            """,
            """
            CREATE TABLE event (
                sequence bigserial PRIMARY KEY, site text NOT NULL, id text NOT NULL, device text NOT NULL, event_site text NOT NULL,
                zone text NOT NULL, item text NOT NULL, kind text NOT NULL, at timestamptz NOT NULL,
                measured_start_at timestamptz, start_offset_ms double precision, played_ms bigint, reason text,
                received_at timestamptz NOT NULL, log_position bigint, UNIQUE (site, device, id))
            """,
            "CREATE INDEX event_by_item ON event (site, item)",
            "CREATE INDEX event_by_device ON event (site, device)",
            // The log: one gap-free sequence of positions per commune. Appends lock the
            // commune's head row, so several controllers append one after another.
            """
            CREATE TABLE log_entry (
                site text NOT NULL, position bigint NOT NULL, entry bytea NOT NULL, leaf_hash bytea NOT NULL,
                chain_hash bytea NOT NULL, PRIMARY KEY (site, position))
            """,
            """
            CREATE TABLE log_head (site text PRIMARY KEY, size bigint NOT NULL, note text)
            """,
            """
            CREATE TABLE checkpoint (
                site text NOT NULL, size bigint NOT NULL, note text NOT NULL, signed_at timestamptz NOT NULL, PRIMARY KEY (site, size))
            """,
            """
            CREATE TABLE console_user (
                site text NOT NULL, name text NOT NULL, display_name text NOT NULL, roles text NOT NULL,
                token_sha256 text NOT NULL UNIQUE, created_at timestamptz NOT NULL, disabled_at timestamptz, password_hash text,
                PRIMARY KEY (site, name))
            """,
            """
            CREATE TABLE schedule_version (
                site text NOT NULL, version bigint NOT NULL, schedule_site text NOT NULL, schedule bytea NOT NULL,
                digest text NOT NULL, sources bytea NOT NULL, applied_at timestamptz NOT NULL, applied_by text NOT NULL,
                log_position bigint, PRIMARY KEY (site, version))
            """,
            """
            CREATE TABLE programme_approval (
                site text NOT NULL, programme text NOT NULL, digest text NOT NULL, approver text NOT NULL,
                approved_at timestamptz NOT NULL, version bigint NOT NULL, log_position bigint,
                PRIMARY KEY (site, programme, digest, approver))
            """,
            """
            CREATE TABLE console_session (
                site text NOT NULL, id_sha256 text NOT NULL, "user" text NOT NULL, csrf_token text NOT NULL,
                created_at timestamptz NOT NULL, last_seen_at timestamptz NOT NULL, expires_at timestamptz NOT NULL,
                PRIMARY KEY (site, id_sha256), FOREIGN KEY (site, "user") REFERENCES console_user (site, name) ON DELETE CASCADE)
            """,
            """
            CREATE TABLE console_audit (
                id bigserial PRIMARY KEY, site text NOT NULL, at timestamptz NOT NULL, action text NOT NULL, actor text,
                subject text, detail text, client_address text)
            """,
            "CREATE INDEX console_audit_by_site ON console_audit (site, id)",
            """
            CREATE TABLE sent_item (
                site text NOT NULL, zone text NOT NULL, item text NOT NULL, kind text NOT NULL, start_at timestamptz NOT NULL,
                end_at timestamptz NOT NULL, duration_ms bigint, first_sent_at timestamptz NOT NULL, PRIMARY KEY (site, zone, item))
            """,
            """
            CREATE TABLE refused_event (
                sequence bigserial PRIMARY KEY, site text NOT NULL, device text NOT NULL, digest text NOT NULL, event_id text,
                received_at timestamptz NOT NULL, reason text NOT NULL, detail text NOT NULL, payload_bytes bigint NOT NULL,
                excerpt text NOT NULL, UNIQUE (site, device, digest))
            """,
            """
            CREATE TABLE device_refusal (
                site text NOT NULL, device text NOT NULL, reason text NOT NULL, count bigint NOT NULL, last_at timestamptz NOT NULL,
                last_detail text NOT NULL, PRIMARY KEY (site, device, reason))
            """,
        ]),
        ("v2: leases on periodic jobs", [
            """
            CREATE TABLE job_lease (
                site text NOT NULL, job text NOT NULL, holder text NOT NULL, expires_at timestamptz NOT NULL, PRIMARY KEY (site, job))
            """,
        ]),
        ("v3: the signed envelope of each hamlet's document, for fetching over HTTP", [
            "ALTER TABLE zone_document ADD COLUMN sealed bytea",
        ]),
        ("v4: deliveries of the province's export", [
            """
            CREATE TABLE export_delivery (
                site text NOT NULL, destination text NOT NULL, period text NOT NULL, digest text NOT NULL,
                delivered_at timestamptz NOT NULL, PRIMARY KEY (site, destination, period))
            """,
        ]),
        // The province's own rows are not a commune's: no `site` column but the communes addressed.
        ("v5: the province's emergencies to many communes, with the two-person rule", [
            """
            CREATE TABLE province_user (
                name text PRIMARY KEY, display_name text NOT NULL, roles text NOT NULL, password_hash text NOT NULL,
                created_at timestamptz NOT NULL)
            """,
            """
            CREATE TABLE province_emergency (
                id text PRIMARY KEY, title text NOT NULL, text text NOT NULL, communes text[] NOT NULL, start_at timestamptz NOT NULL,
                proposed_by text NOT NULL REFERENCES province_user (name), proposed_at timestamptz NOT NULL, cancelled_at timestamptz,
                cancelled_by text REFERENCES province_user (name))
            """,
            """
            CREATE TABLE province_approval (
                emergency_id text NOT NULL REFERENCES province_emergency (id), approver text NOT NULL REFERENCES province_user (name),
                at timestamptz NOT NULL, PRIMARY KEY (emergency_id, approver))
            """,
            """
            CREATE TABLE province_take_up (
                emergency_id text NOT NULL REFERENCES province_emergency (id), site text NOT NULL, version bigint NOT NULL,
                taken_at timestamptz NOT NULL, PRIMARY KEY (emergency_id, site))
            """,
        ]),
        ("v6: devices' clock estimates and speaker self-tests; clock and sound with each play", [
            """
            ALTER TABLE device ADD COLUMN clock_uncertainty_ms double precision, ADD COLUMN speaker_tested_at timestamptz,
                ADD COLUMN speaker_score double precision, ADD COLUMN speaker_failures bigint
            """,
            """
            ALTER TABLE event ADD COLUMN clock_offset_ms double precision, ADD COLUMN clock_uncertainty_ms double precision,
                ADD COLUMN sound_heard boolean, ADD COLUMN sound_score double precision
            """,
        ]),
        ("v7: the levelling gain of each audio file, measured once by the controller", [
            "ALTER TABLE media ADD COLUMN gain_db double precision"
        ]),
        ("v8: the province's web console: the communes to address, sessions", [
            "CREATE TABLE province_commune (site text PRIMARY KEY, name text NOT NULL, hamlets bigint NOT NULL, seen_at timestamptz NOT NULL)",
            """
            CREATE TABLE province_session (
                id_sha256 text PRIMARY KEY, "user" text NOT NULL REFERENCES province_user (name) ON DELETE CASCADE,
                csrf_token text NOT NULL, created_at timestamptz NOT NULL, last_seen_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL)
            """,
        ]),
        ("v9: media bytes in the database, for controllers without a shared media folder", [
            "CREATE TABLE media_copy (sha256 text PRIMARY KEY, data bytea NOT NULL, created_at timestamptz NOT NULL)"
        ]),
        ("v10: each commune's keys (sealed) and device registry, for controllers without a shared data folder", [
            """
            CREATE TABLE commune_record (
                site text NOT NULL, name text NOT NULL, body bytea NOT NULL, revision bigint NOT NULL,
                changed_at timestamptz NOT NULL, PRIMARY KEY (site, name))
            """
        ]),
        ("v11: province accounts administered on the web: who made each, disabled when and by whom", [
            "ALTER TABLE province_user ADD COLUMN created_by text, ADD COLUMN disabled_at timestamptz, ADD COLUMN disabled_by text",
            """
            CREATE TABLE province_audit (
                id bigserial PRIMARY KEY, at timestamptz NOT NULL, action text NOT NULL, actor text, subject text, detail text)
            """,
        ]),
        ("v12: sign-ins on the province's audit trail, with the address they came from", [
            "ALTER TABLE province_audit ADD COLUMN client_address text",
            "CREATE INDEX province_audit_action ON province_audit (action, id)",
        ]),
        ("v13: a commune's announcements by start, read once for all its hamlets' documents", [
            "CREATE INDEX announcement_by_start ON announcement (site, start_at)",
        ]),
    ]

    /// A key for `pg_advisory_xact_lock`: migrations run one controller at a time.
    static let migrationLock: Int64 = 0x4C6F_615F_6D69_67  // "Loa_mig"

    /// Applies the migrations not applied yet, each in its own transaction.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.query(
            "CREATE TABLE IF NOT EXISTS schema_migration (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
            logger: logger)
        for migration in migrations {
            try await client.transaction(logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
                let applied = try await connection.query(
                    "SELECT 1 FROM schema_migration WHERE name = \(migration.name)", logger: logger).collect()
                guard applied.isEmpty else { return }
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO schema_migration (name) VALUES (\(migration.name))", logger: logger)
            }
        }
    }
}
