import CairnStorePostgres
import CairnStoreSQL
import Foundation
import Testing

@Test func migrationNamesMatchSQLite() {
    #expect(PostgresSchema.migrations.map(\.name) == ["v1-tracking", "v2-registry", "v3-search-indexes", "v4-auth"])
    #expect(PostgresSchema.migrations.allSatisfy { !$0.statements.isEmpty })
}

@Suite("PostgreSQL schema", .enabled(if: LivePostgres.isConfigured, LivePostgres.skipped))
struct PostgresSchemaTests {
    @Test func migratingTwiceIsIdempotentAndConcurrentStartsAgree() async throws {
        _ = try await LivePostgres.withDatabase { database in
            let schema = PostgresSchema(database: database)
            // Several replicas starting together: each step is applied exactly once between them.
            let applied = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<4 { group.addTask { try await schema.migrate() } }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            #expect(Set(applied).count == applied.count)
            #expect(try await schema.pendingMigrations().isEmpty)
            #expect(try await schema.migrate().isEmpty)
            let recorded = try await database.read { s in
                try s.column(String.self, "SELECT version FROM cairn_schema_migrations ORDER BY version")
            }
            #expect(recorded == ["v1-tracking", "v2-registry", "v3-search-indexes", "v4-auth"])
        }
    }

    @Test func textColumnsUseTheBinaryCollationAndKeysAreIdentities() async throws {
        _ = try await LivePostgres.withDatabase { database in
            try await PostgresSchema(database: database).migrate()
            let (uncollated, identities, tables) = try await database.read { s in
                let uncollated = try s.column(
                    String.self,
                    """
                    SELECT table_name || '.' || column_name FROM information_schema.columns
                    WHERE table_schema = current_schema() AND data_type = 'text'
                      AND table_name <> 'cairn_schema_migrations' AND table_name NOT LIKE 't\\_%'
                      AND coalesce(collation_name, '') <> 'C'
                    """)
                let identities = try s.column(
                    String.self,
                    """
                    SELECT table_name || '.' || column_name FROM information_schema.columns
                    WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY 1
                    """)
                let tables = try s.scalar(
                    Int.self,
                    """
                    SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()
                      AND table_name IN ('experiments', 'runs', 'metrics', 'latest_metrics', 'params', 'tags',
                        'datasets', 'logged_models', 'registered_models', 'model_versions', 'registered_model_aliases')
                    """)
                return (uncollated, identities, tables)
            }
            #expect(uncollated.isEmpty, "\(uncollated)")
            #expect(
                identities == [
                    "audit_events.id", "auth_users.id", "datasets.id", "experiments.experiment_id",
                    "registered_models.id", "runs.id",
                ])
            #expect(tables == 11)
        }
    }

    @Test func constraintsHoldAndOrderingIsBinary() async throws {
        _ = try await LivePostgres.withDatabase { database in
            try await PostgresSchema(database: database).migrate()
            let prefix = "exp-\(UUID().uuidString.prefix(8))-"
            let names = [prefix + "b", prefix + "B", prefix + "a", prefix + "_"]
            _ = try await database.write { s in
                for name in names {
                    try s.execute(
                        """
                        INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time)
                        VALUES (\(name), 'file:///tmp', 'active', 0, 0)
                        """)
                }
            }
            let ordered = try await database.read { s in
                try s.column(String.self, "SELECT name FROM experiments WHERE name LIKE \(prefix + "%") ORDER BY name")
            }
            #expect(ordered == names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
            await #expect(throws: SQLStoreError.self) {
                _ = try await database.write { s in
                    try s.execute(
                        """
                        INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time)
                        VALUES (\(prefix + "x"), 'file:///tmp', 'archived', 0, 0)
                        """)
                }
            }
            do {
                _ = try await database.write { s in
                    try s.execute(
                        """
                        INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time)
                        VALUES (\(names[0]), 'file:///tmp', 'active', 0, 0)
                        """)
                }
                Issue.record("duplicate experiment name accepted")
            } catch SQLStoreError.uniqueViolation {}
            _ = try await database.write { s in try s.execute("DELETE FROM experiments WHERE name LIKE \(prefix + "%")")
            }
        }
    }

    @Test func longParamAndTagValuesAreStoredAndFound() async throws {
        try await LivePostgres.withDatabase { database in
            try await PostgresSchema(database: database).migrate()
            // 8,000 characters that do not compress: too long for a B-tree entry.
            var generator = SystemRandomNumberGenerator()
            let long = String(
                (0..<8000).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement(using: &generator)! })
            let name = "long-values-\(UUID().uuidString)"
            let found = try await database.write { s in
                let experiment = try s.scalar(
                    Int64.self,
                    """
                    INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time)
                    VALUES (\(name), 'file:///tmp', 'active', 0, 0) RETURNING experiment_id
                    """)
                let run = try s.scalar(
                    Int64.self,
                    """
                    INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, artifact_uri,
                                      lifecycle_stage)
                    VALUES (\(name), \(experiment), 'r', 'u', 'RUNNING', 0, 'file:///tmp', 'active') RETURNING id
                    """)
                try s.execute("INSERT INTO params (run, key, value) VALUES (\(run), 'p', \(long))")
                try s.execute("INSERT INTO tags (run, key, value) VALUES (\(run), 'mlflow.note.content', \(long))")
                let found = try s.column(
                    Int64.self,
                    """
                    SELECT p.run FROM params p JOIN tags t ON t.run = p.run
                    WHERE p.key = 'p' AND p.value = \(long) AND t.key = 'mlflow.note.content' AND t.value = \(long)
                    """)
                try s.execute("DELETE FROM runs WHERE id = \(run)")
                try s.execute("DELETE FROM experiments WHERE experiment_id = \(experiment)")
                return found.count
            }
            #expect(found == 1)
        }
    }

    @Test func resetIdentityMovesPastExplicitIds() async throws {
        _ = try await LivePostgres.withDatabase { database in
            let schema = PostgresSchema(database: database)
            try await schema.migrate()
            let name = "registered-\(UUID().uuidString)"
            let explicit: Int64 = 9_000_000 + Int64.random(in: 0..<1_000_000)
            _ = try await database.write { s in
                try s.execute(
                    """
                    INSERT INTO registered_models (id, name, creation_timestamp, last_updated_timestamp)
                    VALUES (\(explicit), \(name), 0, 0)
                    """)
            }
            try await schema.resetIdentity(table: "registered_models", column: "id")
            let next = try await database.write { s in
                try s.scalar(
                    Int64.self,
                    """
                    INSERT INTO registered_models (name, creation_timestamp, last_updated_timestamp)
                    VALUES (\(name + "-next"), 0, 0) RETURNING id
                    """)
            }
            #expect(try #require(next) > explicit)
            await #expect(throws: SQLStoreError.self) {
                try await schema.resetIdentity(table: "registered_models; DROP TABLE runs", column: "id")
            }
            await #expect(throws: SQLStoreError.self) { try await schema.resetIdentity(table: "params", column: "key") }
            _ = try await database.write { s in
                try s.execute("DELETE FROM registered_models WHERE name IN \([name, name + "-next"])")
            }
        }
    }
}
