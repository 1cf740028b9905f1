/// The PostgreSQL schema: the same tables, columns and constraints as the SQLite one (`Schema`), in PostgreSQL's
/// types. Migrations are numbered; `schema_version` records those applied, and each runs in one transaction under an
/// advisory lock (per schema), so servers starting together apply it once.
///
/// One table has no SQLite twin: `ledger_head`, a single row holding the ledger's size, the Merkle frontier (its
/// peaks) and the size of the last checkpoint. Every append transaction takes it `FOR UPDATE` first — see
/// `PostgresStore+Append`.
enum PostgresSchema {
    struct Migration {
        let version: Int
        let name: String
        let sql: [String]
    }

    /// First key of the advisory lock taken while migrating ("BuSt" in ASCII); the second is the schema's hash, so
    /// ledgers in different schemas of one database migrate independently.
    static let migrationLock: Int32 = 0x4275_5374

    static let migrations: [Migration] = [
        Migration(
            version: 1, name: "ledger, projections, findings, access",
            sql: [
                """
                CREATE TABLE meta (
                    key   text PRIMARY KEY,
                    value text NOT NULL
                )
                """,
                """
                CREATE TABLE unit (
                    id       text PRIMARY KEY,
                    name     text NOT NULL CHECK (length(name) > 0),
                    name_en  text,
                    kind     text NOT NULL CHECK (kind IN ('provincial_committee','department','service_centre',
                                                           'inspectorate','ward','commune','division')),
                    parent   text REFERENCES unit(id) DEFERRABLE INITIALLY DEFERRED,
                    code     text NOT NULL UNIQUE CHECK (length(code) > 0),
                    head     text,
                    deputies text NOT NULL DEFAULT ''
                )
                """,
                """
                CREATE TABLE official (
                    id       text PRIMARY KEY CHECK (length(id) > 0 AND substr(id, 1, 1) <> '@'),
                    name     text NOT NULL CHECK (length(name) > 0),
                    unit     text NOT NULL REFERENCES unit(id) DEFERRABLE INITIALLY DEFERRED,
                    position text NOT NULL,
                    roles    text NOT NULL,
                    active   boolean NOT NULL DEFAULT true
                )
                """,
                "CREATE INDEX official_unit ON official(unit)",
                "ALTER TABLE unit ADD FOREIGN KEY (head) REFERENCES official(id) DEFERRABLE INITIALLY DEFERRED",
                """
                CREATE TABLE mandate (
                    unit      text NOT NULL REFERENCES unit(id),
                    case_kind text NOT NULL CHECK (case_kind IN ('dossier','task','complaint','denunciation','petition')),
                    procedure text,
                    UNIQUE NULLS NOT DISTINCT (unit, case_kind, procedure)
                )
                """,
                """
                CREATE TABLE ledger_entry (
                    idx       bigint PRIMARY KEY CHECK (idx >= 0),
                    case_id   text NOT NULL,
                    type      text NOT NULL,
                    at        bigint NOT NULL,
                    body      bytea NOT NULL,
                    leaf_hash bytea NOT NULL CHECK (length(leaf_hash) = 32)
                )
                """,
                "CREATE INDEX ledger_entry_case ON ledger_entry(case_id, idx)",
                """
                CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'ledger entries are append-only';
                END $$
                """,
                """
                CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON ledger_entry
                    FOR EACH ROW EXECUTE FUNCTION ledger_append_only()
                """,
                """
                CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON ledger_entry
                    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only()
                """,
                """
                CREATE TABLE merkle_node (
                    level integer NOT NULL CHECK (level >= 4 AND level % 4 = 0),
                    idx   bigint NOT NULL CHECK (idx >= 0),
                    hash  bytea NOT NULL CHECK (length(hash) = 32),
                    PRIMARY KEY (level, idx)
                )
                """,
                """
                CREATE TABLE checkpoint (
                    size      bigint PRIMARY KEY CHECK (size >= 0),
                    origin    text NOT NULL,
                    root      bytea NOT NULL CHECK (length(root) = 32),
                    timestamp bigint NOT NULL,
                    key_id    text NOT NULL,
                    signature bytea NOT NULL
                )
                """,
                """
                CREATE TABLE ledger_head (
                    id              integer PRIMARY KEY CHECK (id = 1),
                    size            bigint NOT NULL CHECK (size >= 0),
                    peaks           bytea NOT NULL CHECK (length(peaks) % 32 = 0),
                    checkpoint_size bigint NOT NULL CHECK (checkpoint_size >= 0 AND checkpoint_size <= size)
                )
                """,
                "INSERT INTO ledger_head (id, size, peaks, checkpoint_size) VALUES (1, 0, '\\x', 0)",
                """
                CREATE TABLE case_state (
                    id                  text PRIMARY KEY,
                    kind                text NOT NULL CHECK (kind IN ('dossier','task','complaint','denunciation','petition')),
                    procedure           text,
                    title               text NOT NULL,
                    lead_unit           text NOT NULL REFERENCES unit(id),
                    collaborators       text NOT NULL DEFAULT '',
                    owner               text REFERENCES official(id),
                    status              text NOT NULL CHECK (status IN ('received','processing','awaiting_supplement',
                                                                        'resolved','closed')),
                    due_date            text,
                    original_due_date   text,
                    rule_id             text,
                    subject_ref         text,
                    subject_hash        text,
                    opened_at           bigint NOT NULL,
                    updated_at          bigint NOT NULL,
                    owner_since         bigint NOT NULL,
                    consultations       text NOT NULL DEFAULT '',
                    action_count        bigint NOT NULL CHECK (action_count >= 1),
                    supplement_requests bigint NOT NULL DEFAULT 0,
                    reschedules         bigint NOT NULL DEFAULT 0,
                    extensions          bigint NOT NULL DEFAULT 0,
                    decided             boolean NOT NULL DEFAULT false,
                    rating              bigint CHECK (rating BETWEEN 1 AND 5),
                    closed_at           bigint,
                    last_idx            bigint NOT NULL REFERENCES ledger_entry(idx),
                    CHECK ((status = 'closed') = (owner IS NULL))
                )
                """,
                "CREATE INDEX case_inbox ON case_state(owner, due_date) WHERE owner IS NOT NULL",
                "CREATE INDEX case_unit ON case_state(lead_unit, status)",
                "CREATE INDEX case_updated ON case_state(updated_at)",
                """
                CREATE TABLE case_sequence (
                    agency text NOT NULL,
                    day    text NOT NULL,
                    last   bigint NOT NULL,
                    PRIMARY KEY (agency, day)
                )
                """,
                """
                CREATE TABLE personal_data (
                    ref        text PRIMARY KEY,
                    case_id    text NOT NULL,
                    salt       bytea,
                    sealed     bytea,
                    created_at bigint NOT NULL,
                    erased_at  bigint,
                    CHECK ((erased_at IS NULL) = (sealed IS NOT NULL AND salt IS NOT NULL))
                )
                """,
                "CREATE INDEX personal_data_case ON personal_data(case_id)",
                """
                CREATE TABLE demo_label (
                    case_id   text NOT NULL,
                    behaviour text NOT NULL,
                    PRIMARY KEY (case_id, behaviour)
                )
                """,
                """
                CREATE TABLE finding (
                    id             text PRIMARY KEY,
                    case_id        text NOT NULL REFERENCES case_state(id) DEFERRABLE INITIALLY DEFERRED,
                    detector       text NOT NULL,
                    official       text REFERENCES official(id),
                    unit           text REFERENCES unit(id),
                    head           text REFERENCES official(id),
                    severity       text NOT NULL CHECK (severity IN ('info','minor','major','severe')),
                    evidence       text NOT NULL,
                    value          text NOT NULL,
                    limit_value    text NOT NULL,
                    explanation    text NOT NULL,
                    explanation_en text NOT NULL,
                    status         text NOT NULL CHECK (status IN ('open','explained','upheld','dismissed')),
                    response       text,
                    reviewer       text REFERENCES official(id),
                    review_note    text,
                    observed_at    bigint NOT NULL,
                    raised_at      bigint NOT NULL,
                    raised_idx     bigint NOT NULL REFERENCES ledger_entry(idx) DEFERRABLE INITIALLY DEFERRED,
                    updated_idx    bigint NOT NULL REFERENCES ledger_entry(idx) DEFERRABLE INITIALLY DEFERRED,
                    CHECK (status <> 'explained' OR response IS NOT NULL),
                    CHECK ((status IN ('upheld','dismissed')) = (reviewer IS NOT NULL))
                )
                """,
                "CREATE INDEX finding_case ON finding(case_id)",
                "CREATE INDEX finding_unit ON finding(unit, observed_at)",
                "CREATE INDEX finding_official ON finding(official, status)",
                "CREATE INDEX finding_raised ON finding(raised_idx)",
                """
                CREATE TABLE case_search (
                    case_id text PRIMARY KEY REFERENCES case_state(id) DEFERRABLE INITIALLY DEFERRED,
                    text    text NOT NULL
                )
                """,
                """
                CREATE TABLE account (
                    official      text PRIMARY KEY REFERENCES official(id),
                    password_hash text NOT NULL CHECK (password_hash LIKE '$2%'),
                    updated_at    bigint NOT NULL
                )
                """,
                """
                CREATE TABLE session (
                    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
                    official   text NOT NULL REFERENCES official(id),
                    csrf       text NOT NULL,
                    created_at bigint NOT NULL,
                    expires_at bigint NOT NULL
                )
                """,
                """
                CREATE TABLE api_token (
                    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
                    name       text NOT NULL CHECK (length(name) > 0),
                    scopes     text NOT NULL,
                    created_at bigint NOT NULL,
                    revoked_at bigint
                )
                """,
            ]),
        Migration(
            version: 2, name: "lock the head and read a batch's cases in one round trip",
            sql: [
                // Locks the head, then — in a statement of its own, so with a snapshot taken after the lock was granted and
                // the previous writer committed — reads the cases a batch needs: only those the writer does not hold when
                // the head is as it left it, all of them when another writer moved it. One row per case found, or one
                // row with a NULL case. A function because a single statement would read the cases in the snapshot it
                // took before waiting for the lock.
                """
                CREATE FUNCTION lock_ledger_head(known_size bigint, known_checkpoint bigint, missing text[], batch text[])
                RETURNS TABLE (head_size bigint, head_peaks bytea, head_checkpoint bigint, head_moved boolean, c case_state)
                LANGUAGE plpgsql VOLATILE AS $$
                DECLARE
                    h ledger_head%ROWTYPE;
                    moved boolean;
                BEGIN
                    SELECT * INTO h FROM ledger_head WHERE ledger_head.id = 1 FOR UPDATE;
                    IF NOT FOUND THEN
                        RAISE EXCEPTION 'ledger_head has no row: the schema is damaged';
                    END IF;
                    moved := h.size IS DISTINCT FROM known_size OR h.checkpoint_size IS DISTINCT FROM known_checkpoint;
                    RETURN QUERY
                        SELECT h.size, h.peaks, h.checkpoint_size, moved, s
                        FROM (SELECT 1) AS one
                        LEFT JOIN case_state AS s ON s.id = ANY (CASE WHEN moved THEN batch ELSE missing END);
                END
                $$
                """
            ]),
        Migration(
            version: 3, name: "token subjects: an official's token, or a system's acting for the officials listed",
            sql: [
                "ALTER TABLE api_token ADD COLUMN official text REFERENCES official(id)",
                "ALTER TABLE api_token ADD COLUMN acts_for text NOT NULL DEFAULT ''",
                "ALTER TABLE api_token ADD COLUMN imports_history boolean NOT NULL DEFAULT false",
                "ALTER TABLE api_token ADD CONSTRAINT api_token_subject CHECK (official IS NULL OR (acts_for = '' AND NOT imports_history))",
            ]),
        Migration(
            version: 4, name: "witness cosignatures of checkpoints",
            sql: [
                """
                CREATE TABLE checkpoint_cosignature (
                    size    bigint NOT NULL REFERENCES checkpoint(size),
                    witness text NOT NULL CHECK (length(witness) > 0),
                    line    text NOT NULL CHECK (length(line) > 0),
                    PRIMARY KEY (size, witness)
                )
                """,
                "CREATE INDEX checkpoint_cosignature_witness ON checkpoint_cosignature(witness, size)",
            ]),
        Migration(
            version: 5, name: "suspension: since when a case's handling is suspended (tạm đình chỉ)",
            sql: ["ALTER TABLE case_state ADD COLUMN suspended_since bigint"]),
        Migration(
            version: 6, name: "cases by kind and day of receipt (the Open311 list)",
            sql: ["CREATE INDEX case_kind_opened ON case_state(kind, opened_at)"]),
        Migration(
            version: 7, name: "competence: what a complaint or denunciation concerns and the body whose head decides it",
            sql: [
                "ALTER TABLE case_state ADD COLUMN concerning_unit text",
                "ALTER TABLE case_state ADD COLUMN concerning_official text",
                "ALTER TABLE case_state ADD COLUMN deciding_body text",
            ]),
        Migration(
            version: 8, name: "reception books (sổ tiếp công dân): cases of kind reception",
            sql: [
                "ALTER TABLE case_state DROP CONSTRAINT case_state_kind_check",
                "ALTER TABLE case_state ADD CONSTRAINT case_state_kind_check CHECK (kind IN ('dossier','task','complaint','denunciation','petition','reception'))",
            ]),
        Migration(
            version: 9, name: "programmes (chương trình, kế hoạch): cases of kind programme, parents and task phases",
            sql: [
                "ALTER TABLE case_state DROP CONSTRAINT case_state_kind_check",
                "ALTER TABLE case_state ADD CONSTRAINT case_state_kind_check CHECK (kind IN ('dossier','task','complaint','denunciation','petition','reception','programme'))",
                "ALTER TABLE case_state ADD COLUMN parent_id text",
                "ALTER TABLE case_state ADD COLUMN product text",
                "ALTER TABLE case_state ADD COLUMN task_phase text CHECK (task_phase IN ('not_started','in_progress','awaiting_approval','done','cancelled'))",
                "ALTER TABLE case_state ADD COLUMN drafter text",
                "CREATE INDEX case_programme ON case_state(parent_id, lead_unit, task_phase, due_date, owner) WHERE parent_id IS NOT NULL",
                ProgrammeSQL.backfillPhases,
            ]),
        Migration(
            version: 10, name: "task tally (the roll-up's counts kept by the append path); report submissions' phase 'submitted'",
            sql: [
                "ALTER TABLE case_state DROP CONSTRAINT case_state_task_phase_check",
                "ALTER TABLE case_state ADD CONSTRAINT case_state_task_phase_check CHECK (task_phase IN (\(ProgrammeSQL.phases)))",
                ProgrammeSQL.tallySchema(count: "bigint"),
                TaskTally.backfill,
            ] + ProgrammeSQL.indexesSince10),
        Migration(
            version: 11, name: "causes of upheld findings (nguyên nhân), counted by unit",
            sql: [
                "ALTER TABLE finding ADD COLUMN cause text",
                "CREATE INDEX finding_cause ON finding(unit, cause) WHERE cause IS NOT NULL",
            ]),
        Migration(
            version: 12, name: "consequences of upheld findings: the kinds decided and the remediation (owner, due date, done)",
            sql: [
                "ALTER TABLE finding ADD COLUMN consequences text NOT NULL DEFAULT ''",
                "ALTER TABLE finding ADD COLUMN remediation_owner text",
                "ALTER TABLE finding ADD COLUMN remediation_due text",
                "ALTER TABLE finding ADD COLUMN remediation_done_at bigint",
                "CREATE INDEX finding_remediation ON finding(remediation_due) WHERE remediation_due IS NOT NULL AND remediation_done_at IS NULL",
            ]),
        Migration(
            version: 13, name: "proposals (đề xuất đổi mới, sáng tạo; NĐ 73/2023): cases of kind proposal, findings protected by one",
            sql: [
                "ALTER TABLE case_state DROP CONSTRAINT case_state_kind_check",
                "ALTER TABLE case_state ADD CONSTRAINT case_state_kind_check CHECK (kind IN ('dossier','task','complaint','denunciation','petition','reception','programme','proposal'))",
                "ALTER TABLE finding ADD COLUMN protected_by text",
            ]),
        Migration(
            version: 14, name: "discipline views: who was shown a finding's discipline details besides the official concerned",
            sql: [
                "CREATE TABLE discipline_view (finding text NOT NULL, viewer text NOT NULL, entry bigint NOT NULL CHECK (entry >= 0), at bigint NOT NULL)",
                "CREATE INDEX discipline_view_finding ON discipline_view(finding, at)",
            ]),
    ]
}
