import BuckStopDomain
import Foundation
import GRDB

/// The SQLite schema. Integrity lives in the schema where it can: the one-owner invariant is a
/// CHECK, references are foreign keys, and the ledger refuses UPDATE and DELETE by trigger.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-ledger-and-projections") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta (
                        key   TEXT PRIMARY KEY NOT NULL,
                        value TEXT NOT NULL
                    );

                    CREATE TABLE unit (
                        id      TEXT PRIMARY KEY NOT NULL,
                        name    TEXT NOT NULL CHECK (length(name) > 0),
                        name_en TEXT,
                        kind    TEXT NOT NULL CHECK (kind IN ('provincial_committee','department','service_centre',
                                                                'inspectorate','ward','commune','division')),
                        parent  TEXT REFERENCES unit(id) DEFERRABLE INITIALLY DEFERRED,
                        code    TEXT NOT NULL UNIQUE CHECK (length(code) > 0),
                        head    TEXT REFERENCES official(id) DEFERRABLE INITIALLY DEFERRED,
                        deputies TEXT NOT NULL DEFAULT ''
                    );

                    CREATE TABLE official (
                        id       TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0 AND substr(id, 1, 1) <> '@'),
                        name     TEXT NOT NULL CHECK (length(name) > 0),
                        unit     TEXT NOT NULL REFERENCES unit(id) DEFERRABLE INITIALLY DEFERRED,
                        position TEXT NOT NULL,
                        roles    TEXT NOT NULL,
                        active   INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
                    );
                    CREATE INDEX official_unit ON official(unit);

                    CREATE TABLE mandate (
                        unit      TEXT NOT NULL REFERENCES unit(id),
                        case_kind TEXT NOT NULL CHECK (case_kind IN ('dossier','task','complaint','denunciation','petition')),
                        procedure TEXT,
                        UNIQUE (unit, case_kind, procedure)
                    );

                    -- The ledger: entry i is the canonical JSON of the i-th action; leaf_hash = SHA-256(0x00 || body).
                    CREATE TABLE ledger_entry (
                        idx       INTEGER PRIMARY KEY CHECK (idx >= 0),
                        case_id   TEXT NOT NULL,
                        type      TEXT NOT NULL,
                        at        INTEGER NOT NULL,
                        body      BLOB NOT NULL,
                        leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32)
                    );
                    CREATE INDEX ledger_entry_case ON ledger_entry(case_id, idx);
                    CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_entry
                        BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
                    CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON ledger_entry
                        BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;

                    -- Hashes of complete subtrees above the leaves: level L, index i covers leaves [i*2^L, (i+1)*2^L).
                    -- Only every 4th level is stored; the levels between are computed (DatabaseSubtrees).
                    CREATE TABLE merkle_node (
                        level INTEGER NOT NULL CHECK (level >= 4 AND level % 4 = 0),
                        idx   INTEGER NOT NULL CHECK (idx >= 0),
                        hash  BLOB NOT NULL CHECK (length(hash) = 32),
                        PRIMARY KEY (level, idx)
                    ) WITHOUT ROWID;

                    CREATE TABLE checkpoint (
                        size      INTEGER PRIMARY KEY CHECK (size >= 0),
                        origin    TEXT NOT NULL,
                        root      BLOB NOT NULL CHECK (length(root) = 32),
                        timestamp INTEGER NOT NULL,
                        key_id    TEXT NOT NULL,
                        signature BLOB NOT NULL
                    );

                    -- Projection: one row per case. Open ⇔ exactly one owner, enforced here as well as in the domain.
                    CREATE TABLE case_state (
                        id                  TEXT PRIMARY KEY NOT NULL,
                        kind                TEXT NOT NULL CHECK (kind IN ('dossier','task','complaint','denunciation','petition')),
                        procedure           TEXT,
                        title               TEXT NOT NULL,
                        lead_unit           TEXT NOT NULL REFERENCES unit(id),
                        collaborators       TEXT NOT NULL DEFAULT '',
                        owner               TEXT REFERENCES official(id),
                        status              TEXT NOT NULL CHECK (status IN ('received','processing','awaiting_supplement',
                                                                            'resolved','closed')),
                        due_date            TEXT,
                        original_due_date   TEXT,
                        rule_id             TEXT,
                        subject_ref         TEXT,
                        subject_hash        TEXT,
                        opened_at           INTEGER NOT NULL,
                        updated_at          INTEGER NOT NULL,
                        owner_since         INTEGER NOT NULL,
                        consultations       TEXT NOT NULL DEFAULT '',
                        action_count        INTEGER NOT NULL CHECK (action_count >= 1),
                        supplement_requests INTEGER NOT NULL DEFAULT 0,
                        reschedules         INTEGER NOT NULL DEFAULT 0,
                        extensions          INTEGER NOT NULL DEFAULT 0,
                        decided             INTEGER NOT NULL DEFAULT 0,
                        rating              INTEGER CHECK (rating BETWEEN 1 AND 5),
                        closed_at           INTEGER,
                        last_idx            INTEGER NOT NULL REFERENCES ledger_entry(idx),
                        CHECK ((status = 'closed') = (owner IS NULL))
                    ) WITHOUT ROWID;
                    -- The inbox: every open case of an official, by due date.
                    CREATE INDEX case_inbox ON case_state(owner, due_date) WHERE owner IS NOT NULL;
                    CREATE INDEX case_unit ON case_state(lead_unit, status);

                    -- Daily sequence per agency for case codes (mã hồ sơ).
                    CREATE TABLE case_sequence (
                        agency TEXT NOT NULL,
                        day    TEXT NOT NULL,
                        last   INTEGER NOT NULL,
                        PRIMARY KEY (agency, day)
                    ) WITHOUT ROWID;

                    -- Personal data of applicants and denouncers: off the ledger, encrypted, erasable.
                    CREATE TABLE personal_data (
                        ref        TEXT PRIMARY KEY NOT NULL,
                        case_id    TEXT NOT NULL,
                        salt       BLOB,
                        sealed     BLOB,
                        created_at INTEGER NOT NULL,
                        erased_at  INTEGER,
                        CHECK ((erased_at IS NULL) = (sealed IS NOT NULL AND salt IS NOT NULL))
                    );
                    CREATE INDEX personal_data_case ON personal_data(case_id);

                    -- Ground truth of the demo generator, kept off the ledger so detectors can be scored against it.
                    CREATE TABLE demo_label (
                        case_id   TEXT NOT NULL,
                        behaviour TEXT NOT NULL,
                        PRIMARY KEY (case_id, behaviour)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v2-findings-access-search") { db in
            try db.execute(
                sql: """
                    -- Projection of the finding entries: one row per finding, its workflow state and the text shown.
                    CREATE TABLE finding (
                        id             TEXT PRIMARY KEY NOT NULL,
                        case_id        TEXT NOT NULL REFERENCES case_state(id) DEFERRABLE INITIALLY DEFERRED,
                        detector       TEXT NOT NULL,
                        official       TEXT REFERENCES official(id),
                        unit           TEXT REFERENCES unit(id),
                        head           TEXT REFERENCES official(id),
                        severity       TEXT NOT NULL CHECK (severity IN ('info','minor','major','severe')),
                        evidence       TEXT NOT NULL,
                        value          TEXT NOT NULL,
                        limit_value    TEXT NOT NULL,
                        explanation    TEXT NOT NULL,
                        explanation_en TEXT NOT NULL,
                        status         TEXT NOT NULL CHECK (status IN ('open','explained','upheld','dismissed')),
                        response       TEXT,
                        reviewer       TEXT REFERENCES official(id),
                        review_note    TEXT,
                        observed_at    INTEGER NOT NULL,
                        raised_at      INTEGER NOT NULL,
                        raised_idx     INTEGER NOT NULL REFERENCES ledger_entry(idx) DEFERRABLE INITIALLY DEFERRED,
                        updated_idx    INTEGER NOT NULL REFERENCES ledger_entry(idx) DEFERRABLE INITIALLY DEFERRED,
                        CHECK (status <> 'explained' OR response IS NOT NULL),
                        CHECK ((status IN ('upheld','dismissed')) = (reviewer IS NOT NULL))
                    ) WITHOUT ROWID;
                    CREATE INDEX finding_case ON finding(case_id);
                    CREATE INDEX finding_unit ON finding(unit, observed_at);
                    CREATE INDEX finding_official ON finding(official, status);
                    CREATE INDEX finding_raised ON finding(raised_idx);

                    -- Case titles and codes folded for search without diacritics ("nguyen van" finds "Nguyễn Văn").
                    CREATE TABLE case_search (
                        case_id TEXT PRIMARY KEY NOT NULL REFERENCES case_state(id) DEFERRABLE INITIALLY DEFERRED,
                        text    TEXT NOT NULL
                    ) WITHOUT ROWID;

                    -- Officials' passwords (bcrypt), web sessions and API tokens: only hashes of secrets are stored.
                    CREATE TABLE account (
                        official      TEXT PRIMARY KEY NOT NULL REFERENCES official(id),
                        password_hash TEXT NOT NULL CHECK (password_hash LIKE '$2%'),
                        updated_at    INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE session (
                        token_hash BLOB PRIMARY KEY NOT NULL CHECK (length(token_hash) = 32),
                        official   TEXT NOT NULL REFERENCES official(id),
                        csrf       TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE api_token (
                        token_hash BLOB PRIMARY KEY NOT NULL CHECK (length(token_hash) = 32),
                        name       TEXT NOT NULL CHECK (length(name) > 0),
                        scopes     TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        revoked_at INTEGER
                    ) WITHOUT ROWID;
                    """)
            // Cases opened before this migration become searchable too.
            let rows = try Row.fetchAll(db, sql: "SELECT id, title FROM case_state")
            let insert = try db.makeStatement(sql: "INSERT INTO case_search (case_id, text) VALUES (?, ?)")
            for row in rows {
                let id: String = try row.decode(atIndex: 0)
                let title: String = try row.decode(atIndex: 1)
                try insert.execute(arguments: [id, SearchText.fold(id + " " + title)])
            }
        }
        migrator.registerMigration("v3-token-subjects") { db in
            // A token acts as one official, or is a system's that may act only for the officials listed: the old rows
            // become systems acting for nobody (they can still read) until they are re-issued.
            try db.execute(
                sql: """
                    CREATE TABLE api_token_new (
                        token_hash      BLOB PRIMARY KEY NOT NULL CHECK (length(token_hash) = 32),
                        name            TEXT NOT NULL CHECK (length(name) > 0),
                        scopes          TEXT NOT NULL,
                        official        TEXT REFERENCES official(id),
                        acts_for        TEXT NOT NULL DEFAULT '',
                        imports_history INTEGER NOT NULL DEFAULT 0 CHECK (imports_history IN (0, 1)),
                        created_at      INTEGER NOT NULL,
                        revoked_at      INTEGER,
                        CHECK (official IS NULL OR (acts_for = '' AND imports_history = 0))
                    ) WITHOUT ROWID;
                    INSERT INTO api_token_new (token_hash, name, scopes, created_at, revoked_at)
                        SELECT token_hash, name, scopes, created_at, revoked_at FROM api_token;
                    DROP TABLE api_token;
                    ALTER TABLE api_token_new RENAME TO api_token;
                    """)
        }
        migrator.registerMigration("v4-witness-cosignatures") { db in
            // Cosignatures witnesses returned for a checkpoint (C2SP tlog-cosignature), kept as their signature lines.
            try db.execute(
                sql: """
                    CREATE TABLE checkpoint_cosignature (
                        size    INTEGER NOT NULL REFERENCES checkpoint(size),
                        witness TEXT NOT NULL CHECK (length(witness) > 0),
                        line    TEXT NOT NULL CHECK (length(line) > 0),
                        PRIMARY KEY (size, witness)
                    ) WITHOUT ROWID;
                    CREATE INDEX checkpoint_cosignature_witness ON checkpoint_cosignature(witness, size);
                    """)
        }
        migrator.registerMigration("v5-suspension") { db in
            // Since when a case's handling is suspended (tạm đình chỉ); NULL while it runs.
            try db.execute(sql: "ALTER TABLE case_state ADD COLUMN suspended_since INTEGER")
        }
        migrator.registerMigration("v6-cases-by-kind") { db in
            // The Open311 list (cases of one kind received in a window, newest first) without a scan of every case.
            try db.execute(sql: "CREATE INDEX case_kind_opened ON case_state(kind, opened_at)")
        }
        migrator.registerMigration("v7-competence") { db in
            // What a complaint or denunciation concerns and the body whose head decides it (fixed at opening).
            try db.execute(
                sql: """
                    ALTER TABLE case_state ADD COLUMN concerning_unit TEXT;
                    ALTER TABLE case_state ADD COLUMN concerning_official TEXT;
                    ALTER TABLE case_state ADD COLUMN deciding_body TEXT;
                    """)
        }
        migrator.registerMigration("v8-reception-books") { db in
            // Reception books (sổ tiếp công dân) are cases of kind 'reception'.
            try Self.extendKindCheck(
                db, migration: "v8-reception-books", from: "'dossier','task','complaint','denunciation','petition'", adding: "'reception'")
        }
        migrator.registerMigration("v9-programmes") { db in
            // Programmes and plans (chương trình, kế hoạch) are cases of kind 'programme'; a task or plan names its parent,
            // and tasks carry the phase the roll-up counts.
            try Self.extendKindCheck(
                db, migration: "v9-programmes", from: "'dossier','task','complaint','denunciation','petition','reception'", adding: "'programme'")
            try db.execute(
                sql: """
                    ALTER TABLE case_state ADD COLUMN parent_id TEXT;
                    ALTER TABLE case_state ADD COLUMN product TEXT;
                    ALTER TABLE case_state ADD COLUMN task_phase TEXT
                        CHECK (task_phase IN ('not_started','in_progress','awaiting_approval','done','cancelled'));
                    ALTER TABLE case_state ADD COLUMN drafter TEXT;
                    -- The roll-up of a programme: its items by parent, covering what is counted (lead unit, phase, due date,
                    -- the owner named when late).
                    CREATE INDEX case_programme ON case_state(parent_id, lead_unit, task_phase, due_date, owner) WHERE parent_id IS NOT NULL;
                    """)
            try db.execute(sql: ProgrammeSQL.backfillPhases)
        }
        migrator.registerMigration("v10-task-tally") { db in
            // Report submissions (yêu cầu báo cáo) have a phase of their own: sent, awaiting the requester.
            try Self.replaceCheck(
                db, migration: "v10-task-tally", "CHECK (task_phase IN (\(ProgrammeSQL.phasesBefore10)))",
                with: "CHECK (task_phase IN (\(ProgrammeSQL.phases)))")
            try db.execute(sql: ProgrammeSQL.tallySchema(count: "INTEGER") + " WITHOUT ROWID")
            try db.execute(sql: TaskTally.backfill)
            for statement in ProgrammeSQL.indexesSince10 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v11-finding-causes") { db in
            // The cause an upheld finding is given (a rulebook `FindingCause` code); pages count them by unit.
            try db.execute(sql: "ALTER TABLE finding ADD COLUMN cause TEXT")
            try db.execute(sql: "CREATE INDEX finding_cause ON finding(unit, cause) WHERE cause IS NOT NULL")
        }
        migrator.registerMigration("v12-finding-consequences") { db in
            // What followed an upheld finding: the consequence kinds decided (comma-separated, in order) and the remediation
            // ordered, if any (owner, due date, when reported done); the open remediations by due date for the survey.
            for statement in [
                "ALTER TABLE finding ADD COLUMN consequences TEXT NOT NULL DEFAULT ''",
                "ALTER TABLE finding ADD COLUMN remediation_owner TEXT",
                "ALTER TABLE finding ADD COLUMN remediation_due TEXT",
                "ALTER TABLE finding ADD COLUMN remediation_done_at INTEGER",
                "CREATE INDEX finding_remediation ON finding(remediation_due) WHERE remediation_due IS NOT NULL AND remediation_done_at IS NULL",
            ] {
                try db.execute(sql: statement)
            }
        }
        migrator.registerMigration("v13-proposals") { db in
            // Innovative and bold proposals (đề xuất đổi mới, sáng tạo; NĐ 73/2023) are cases of kind 'proposal'; a finding
            // reviewed as protected by one names it.
            try Self.extendKindCheck(
                db, migration: "v13-proposals", from: "'dossier','task','complaint','denunciation','petition','reception','programme'",
                adding: "'proposal'")
            try db.execute(sql: "ALTER TABLE finding ADD COLUMN protected_by TEXT")
        }
        migrator.registerMigration("v14-discipline-views") { db in
            // Who was shown a finding's discipline details besides the official concerned (restricted and logged).
            try db.execute(
                sql: """
                    CREATE TABLE discipline_view (
                        finding TEXT NOT NULL, viewer TEXT NOT NULL, entry INTEGER NOT NULL CHECK (entry >= 0), at INTEGER NOT NULL)
                    """)
            try db.execute(sql: "CREATE INDEX discipline_view_finding ON discipline_view(finding, at)")
        }
        return migrator
    }

    /// Extends case_state's kind check (`replaceCheck`).
    static func extendKindCheck(_ db: Database, migration: String, from kinds: String, adding kind: String) throws {
        try replaceCheck(db, migration: migration, "CHECK (kind IN (\(kinds)))", with: "CHECK (kind IN (\(kinds),\(kind)))")
    }

    /// Replaces a CHECK of case_state. SQLite cannot alter a CHECK, so the table is rebuilt from its own stored definition
    /// with the check replaced, rows and indexes as they were (the procedure of SQLite's ALTER TABLE documentation; a GRDB
    /// migration runs with foreign keys off and checks them before it commits). After the first rebuild the stored name is
    /// quoted ("case_state"), which both spellings cover.
    static func replaceCheck(_ db: Database, migration: String, _ old: String, with new: String) throws {
        guard let table = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'case_state'"),
            table.contains(old)
        else {
            throw DatabaseError(message: "\(migration): case_state does not have the check \(old)")
        }
        let indexes = try String.fetchAll(
            db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'case_state' AND sql IS NOT NULL")
        let rebuilt = table.replacingOccurrences(of: old, with: new)
            .replacingOccurrences(of: "CREATE TABLE \"case_state\"", with: "CREATE TABLE case_state_new")
            .replacingOccurrences(of: "CREATE TABLE case_state ", with: "CREATE TABLE case_state_new ")
        try db.execute(sql: rebuilt)
        try db.execute(sql: "INSERT INTO case_state_new SELECT * FROM case_state")
        try db.execute(sql: "DROP TABLE case_state")
        try db.execute(sql: "ALTER TABLE case_state_new RENAME TO case_state")
        for index in indexes { try db.execute(sql: index) }
    }
}
