import GRDB

/// Versioned migrations of the tracking database on SQLite.
///
/// Constraints live in the schema (NOT NULL, CHECK, foreign keys, primary keys) so that a bug
/// in the code cannot store an impossible row.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-tracking") { db in
            try db.execute(
                sql: """
                    CREATE TABLE experiments (
                        experiment_id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE,
                        artifact_location TEXT NOT NULL,
                        lifecycle_stage TEXT NOT NULL CHECK (lifecycle_stage IN ('active', 'deleted')),
                        creation_time INTEGER NOT NULL,
                        last_update_time INTEGER NOT NULL
                    );
                    CREATE TABLE experiment_tags (
                        experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id) ON DELETE CASCADE,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        PRIMARY KEY (experiment_id, key)
                    ) WITHOUT ROWID;
                    CREATE TABLE runs (
                        id INTEGER PRIMARY KEY,
                        run_uuid TEXT NOT NULL UNIQUE,
                        experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
                        name TEXT NOT NULL,
                        user_id TEXT NOT NULL,
                        status TEXT NOT NULL
                            CHECK (status IN ('RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED')),
                        start_time INTEGER NOT NULL,
                        end_time INTEGER,
                        artifact_uri TEXT NOT NULL,
                        lifecycle_stage TEXT NOT NULL CHECK (lifecycle_stage IN ('active', 'deleted'))
                    );
                    CREATE INDEX runs_by_experiment ON runs (experiment_id, lifecycle_stage, start_time DESC, run_uuid);
                    CREATE TABLE params (
                        run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        PRIMARY KEY (run, key)
                    ) WITHOUT ROWID;
                    CREATE TABLE tags (
                        run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        PRIMARY KEY (run, key)
                    ) WITHOUT ROWID;
                    CREATE TABLE metrics (
                        run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        key TEXT NOT NULL,
                        step INTEGER NOT NULL,
                        timestamp INTEGER NOT NULL,
                        value REAL NOT NULL,
                        is_nan INTEGER NOT NULL CHECK (is_nan IN (0, 1)),
                        model_id TEXT,
                        dataset_name TEXT,
                        dataset_digest TEXT,
                        PRIMARY KEY (run, key, step, timestamp, value, is_nan)
                    ) WITHOUT ROWID;
                    CREATE TABLE latest_metrics (
                        run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        key TEXT NOT NULL,
                        step INTEGER NOT NULL,
                        timestamp INTEGER NOT NULL,
                        value REAL NOT NULL,
                        is_nan INTEGER NOT NULL CHECK (is_nan IN (0, 1)),
                        PRIMARY KEY (run, key)
                    ) WITHOUT ROWID;
                    CREATE TABLE datasets (
                        id INTEGER PRIMARY KEY,
                        experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
                        name TEXT NOT NULL,
                        digest TEXT NOT NULL,
                        source_type TEXT NOT NULL,
                        source TEXT NOT NULL,
                        schema TEXT,
                        profile TEXT,
                        UNIQUE (experiment_id, name, digest)
                    );
                    CREATE TABLE run_inputs (
                        run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        dataset INTEGER NOT NULL REFERENCES datasets(id),
                        PRIMARY KEY (run, dataset)
                    ) WITHOUT ROWID;
                    CREATE TABLE input_tags (
                        run INTEGER NOT NULL,
                        dataset INTEGER NOT NULL,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        PRIMARY KEY (run, dataset, key),
                        FOREIGN KEY (run, dataset) REFERENCES run_inputs(run, dataset) ON DELETE CASCADE
                    ) WITHOUT ROWID;
                    CREATE TABLE model_inputs (
                        run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        model_id TEXT NOT NULL,
                        PRIMARY KEY (run, model_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE model_outputs (
                        run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        model_id TEXT NOT NULL,
                        step INTEGER NOT NULL,
                        PRIMARY KEY (run, model_id, step)
                    ) WITHOUT ROWID;
                    CREATE TABLE logged_models (
                        model_id TEXT PRIMARY KEY,
                        experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
                        name TEXT NOT NULL,
                        artifact_uri TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN
                            ('LOGGED_MODEL_PENDING', 'LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED')),
                        creation_timestamp INTEGER NOT NULL,
                        last_updated_timestamp INTEGER NOT NULL,
                        creator_id TEXT,
                        model_type TEXT,
                        source_run_id TEXT,
                        status_message TEXT,
                        lifecycle_stage TEXT NOT NULL CHECK (lifecycle_stage IN ('active', 'deleted'))
                    );
                    CREATE INDEX logged_models_by_experiment ON logged_models (experiment_id, creation_timestamp);
                    CREATE TABLE logged_model_tags (
                        model_id TEXT NOT NULL REFERENCES logged_models(model_id) ON DELETE CASCADE,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        PRIMARY KEY (model_id, key)
                    ) WITHOUT ROWID;
                    CREATE TABLE logged_model_params (
                        model_id TEXT NOT NULL REFERENCES logged_models(model_id) ON DELETE CASCADE,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        PRIMARY KEY (model_id, key)
                    ) WITHOUT ROWID;
                    CREATE TABLE logged_model_metrics (
                        model_id TEXT NOT NULL REFERENCES logged_models(model_id) ON DELETE CASCADE,
                        run_id TEXT NOT NULL,
                        key TEXT NOT NULL,
                        step INTEGER NOT NULL,
                        timestamp INTEGER NOT NULL,
                        value REAL NOT NULL,
                        is_nan INTEGER NOT NULL,
                        dataset_name TEXT NOT NULL DEFAULT '',
                        dataset_digest TEXT NOT NULL DEFAULT '',
                        PRIMARY KEY (model_id, key, step, timestamp, value, is_nan, dataset_name, dataset_digest)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v2-registry") { db in
            try db.execute(
                sql: """
                    CREATE TABLE registered_models (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE,
                        creation_timestamp INTEGER NOT NULL,
                        last_updated_timestamp INTEGER NOT NULL,
                        description TEXT,
                        user_id TEXT,
                        last_version INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE TABLE registered_model_tags (
                        model INTEGER NOT NULL REFERENCES registered_models(id) ON DELETE CASCADE,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        PRIMARY KEY (model, key)
                    ) WITHOUT ROWID;
                    CREATE TABLE model_versions (
                        model INTEGER NOT NULL REFERENCES registered_models(id) ON DELETE CASCADE,
                        version INTEGER NOT NULL CHECK (version > 0),
                        creation_timestamp INTEGER NOT NULL,
                        last_updated_timestamp INTEGER NOT NULL,
                        user_id TEXT,
                        current_stage TEXT NOT NULL CHECK (current_stage IN ('None', 'Staging', 'Production', 'Archived')),
                        description TEXT NOT NULL DEFAULT '',
                        source TEXT NOT NULL,
                        run_id TEXT,
                        status TEXT NOT NULL CHECK (status IN ('PENDING_REGISTRATION', 'FAILED_REGISTRATION', 'READY')),
                        status_message TEXT,
                        run_link TEXT NOT NULL DEFAULT '',
                        model_id TEXT,
                        PRIMARY KEY (model, version)
                    ) WITHOUT ROWID;
                    CREATE INDEX model_versions_by_run ON model_versions (run_id);
                    CREATE INDEX model_versions_by_logged_model ON model_versions (model_id);
                    CREATE TABLE model_version_tags (
                        model INTEGER NOT NULL,
                        version INTEGER NOT NULL,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        PRIMARY KEY (model, version, key),
                        FOREIGN KEY (model, version) REFERENCES model_versions(model, version) ON DELETE CASCADE
                    ) WITHOUT ROWID;
                    CREATE TABLE registered_model_aliases (
                        model INTEGER NOT NULL,
                        alias TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        PRIMARY KEY (model, alias),
                        FOREIGN KEY (model, version) REFERENCES model_versions(model, version) ON DELETE CASCADE
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v3-search-indexes") { db in
            // Equality filters on params and tags drive the runs search through these instead of
            // probing every run of the experiment.
            try db.execute(
                sql: """
                    CREATE INDEX params_by_key_value ON params (key, value, run);
                    CREATE INDEX tags_by_key_value ON tags (key, value, run);
                    """)
        }
        migrator.registerMigration("v4-auth") { db in
            // Users, per-resource grants, API tokens and browser sessions (secrets only as hashes),
            // and the audit log.
            try db.execute(
                sql: """
                    CREATE TABLE auth_users (
                        id INTEGER PRIMARY KEY,
                        username TEXT NOT NULL UNIQUE,
                        password_hash TEXT NOT NULL,
                        is_admin INTEGER NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE auth_grants (
                        user_id INTEGER NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
                        resource_type TEXT NOT NULL CHECK (resource_type IN ('experiment', 'registered_model', 'workspace')),
                        resource_id TEXT NOT NULL,
                        permission TEXT NOT NULL CHECK (permission IN ('READ', 'USE', 'EDIT', 'MANAGE', 'DENY', 'NO_PERMISSIONS')),
                        PRIMARY KEY (user_id, resource_type, resource_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX auth_grants_by_resource ON auth_grants (resource_type, resource_id);
                    CREATE TABLE auth_tokens (
                        id TEXT PRIMARY KEY,
                        user_id INTEGER NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        secret_hash TEXT NOT NULL UNIQUE,
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER,
                        revoked_at INTEGER
                    );
                    CREATE TABLE auth_sessions (
                        cookie_hash TEXT PRIMARY KEY,
                        user_id INTEGER NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
                        form_token TEXT NOT NULL,
                        expires_at INTEGER NOT NULL
                    );
                    CREATE TABLE audit_events (
                        id INTEGER PRIMARY KEY,
                        time INTEGER NOT NULL,
                        username TEXT NOT NULL,
                        address TEXT NOT NULL,
                        action TEXT NOT NULL,
                        resource_type TEXT NOT NULL,
                        resource_id TEXT NOT NULL,
                        detail TEXT NOT NULL
                    );
                    CREATE INDEX audit_events_by_time ON audit_events (time, id);
                    """)
        }
        return migrator
    }
}
