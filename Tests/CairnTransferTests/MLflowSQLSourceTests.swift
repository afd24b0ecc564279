import CairnCore
import CairnStoreFactory
import CairnStoreSQL
import Foundation
import Testing

@testable import CairnTransfer

/// A small database shaped like MLflow 3's (the columns the import reads), with two workspaces.
func writeMLflowDatabase(_ dir: TemporaryFolder) async throws -> String {
    let uri = dir.sqlite("mlflow.db")
    FileManager.default.createFile(atPath: dir.path + "/mlflow.db", contents: nil)
    let db = try await StoreFactory.database(uri: uri, migrate: false, requireCurrentSchema: false)
    let statements: [SQLStatement] = [
        """
        CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY, name TEXT, artifact_location TEXT,
            lifecycle_stage TEXT, creation_time BIGINT, last_update_time BIGINT, workspace TEXT)
        """,
        "CREATE TABLE experiment_tags (key TEXT, value TEXT, experiment_id INTEGER)",
        """
        CREATE TABLE runs (run_uuid TEXT, name TEXT, source_type TEXT, user_id TEXT, status TEXT, start_time BIGINT,
            end_time BIGINT, lifecycle_stage TEXT, artifact_uri TEXT, experiment_id INTEGER, deleted_time BIGINT)
        """,
        "CREATE TABLE params (key TEXT, value TEXT, run_uuid TEXT)",
        "CREATE TABLE tags (key TEXT, value TEXT, run_uuid TEXT)",
        "CREATE TABLE metrics (key TEXT, value FLOAT, timestamp BIGINT, run_uuid TEXT, step BIGINT, is_nan BOOLEAN)",
        """
        CREATE TABLE datasets (dataset_uuid TEXT, experiment_id INTEGER, name TEXT, digest TEXT,
            dataset_source_type TEXT, dataset_source TEXT, dataset_schema TEXT, dataset_profile TEXT)
        """,
        """
        CREATE TABLE inputs (input_uuid TEXT, source_type TEXT, source_id TEXT, destination_type TEXT,
            destination_id TEXT, step INTEGER)
        """,
        "CREATE TABLE input_tags (input_uuid TEXT, name TEXT, value TEXT)",
        """
        CREATE TABLE logged_models (model_id TEXT, experiment_id INTEGER, name TEXT, artifact_location TEXT,
            creation_timestamp_ms BIGINT, last_updated_timestamp_ms BIGINT, status INTEGER, lifecycle_stage TEXT,
            model_type TEXT, source_run_id TEXT, status_message TEXT)
        """,
        "CREATE TABLE logged_model_params (model_id TEXT, experiment_id INTEGER, param_key TEXT, param_value TEXT)",
        "CREATE TABLE logged_model_tags (model_id TEXT, experiment_id INTEGER, tag_key TEXT, tag_value TEXT)",
        """
        CREATE TABLE logged_model_metrics (model_id TEXT, metric_name TEXT, metric_timestamp_ms BIGINT,
            metric_step BIGINT, metric_value FLOAT, experiment_id INTEGER, run_id TEXT, dataset_uuid TEXT,
            dataset_name TEXT, dataset_digest TEXT)
        """,
        """
        CREATE TABLE registered_models (name TEXT, creation_time BIGINT, last_updated_time BIGINT,
            description TEXT, workspace TEXT)
        """,
        "CREATE TABLE registered_model_tags (key TEXT, value TEXT, name TEXT, workspace TEXT)",
        "CREATE TABLE registered_model_aliases (alias TEXT, version INTEGER, name TEXT, workspace TEXT)",
        """
        CREATE TABLE model_versions (name TEXT, version INTEGER, creation_time BIGINT, last_updated_time BIGINT,
            description TEXT, user_id TEXT, current_stage TEXT, source TEXT, run_id TEXT, status TEXT,
            status_message TEXT, run_link TEXT, storage_location TEXT, workspace TEXT)
        """,
        "CREATE TABLE model_version_tags (key TEXT, value TEXT, name TEXT, version INTEGER, workspace TEXT)",
        "CREATE TABLE trace_info (request_id TEXT)",
        "CREATE TABLE spans (span_id TEXT)",
        "INSERT INTO trace_info VALUES ('t1'), ('t2')",
        "INSERT INTO experiments VALUES (0, 'Default', '/m/0', 'active', 1, 1, 'default')",
        "INSERT INTO experiments VALUES (4, 'ws-exp', '/m/4', 'active', 1, 1, 'team-b')",
        "INSERT INTO runs VALUES ('r1', NULL, 'LOCAL', NULL, 'FAILED', 10, NULL, 'active', '/m/0/r1/artifacts', 0, NULL)",
        "INSERT INTO tags VALUES ('mlflow.runName', 'from-tag', 'r1')",
        "INSERT INTO metrics VALUES ('m', 0, 5, 'r1', 0, 1), ('m', 1.7976931348623157e308, 6, 'r1', 1, 0)",
        "INSERT INTO metrics VALUES ('m', -1.7976931348623157e308, 7, 'r1', 2, 0)",
        """
        INSERT INTO logged_models VALUES ('m-1', 0, 'model', '/m/0/models/m-1/artifacts', 1, 2, 3, 'active', NULL,
            'r1', 'boom')
        """,
        "INSERT INTO logged_model_metrics VALUES ('m-1', 'acc', 3, 0, 0.5, 0, 'r1', NULL, NULL, NULL)",
        "INSERT INTO registered_models VALUES ('clf', 1, 2, NULL, 'default'), ('other', 1, 2, NULL, 'team-b')",
        "INSERT INTO registered_model_aliases VALUES ('prod', 1, 'clf', 'default'), ('x', 1, 'other', 'team-b')",
        """
        INSERT INTO model_versions VALUES ('clf', 1, 1, 1, NULL, NULL, 'Staging', 'models:/m-1', 'r1', 'READY',
            NULL, NULL, NULL, 'default'), ('clf', 2, 1, 1, NULL, NULL, 'Deleted_Internal', 'x', NULL, 'READY', NULL,
            NULL, NULL, 'default'), ('other', 1, 1, 1, NULL, NULL, 'None', 'y', NULL, 'READY', NULL, NULL, NULL,
            'team-b')
        """,
    ]
    try await db.write { s in for st in statements { try s.execute(st) } }
    try await db.close()
    return uri
}

@Suite struct MLflowSQLSourceTests {
    @Test func readsTheDefaultWorkspaceAndReportsTheRest() async throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let source = try await MLflowSQLSource.open(uri: try await writeMLflowDatabase(dir))
        defer { Task { try? await source.close() } }
        let inventory = try await source.inventory()
        #expect(inventory.otherWorkspaces == ["team-b"])
        #expect(inventory.skippedTables == [.init(name: "trace_info", rows: 2)])
        let experiments = try await source.experiments()
        #expect(experiments.map(\.id) == [0])
        let run = try await source.run(id: "r1", experiment: experiments[0])
        #expect(run.name == "from-tag" && run.userId == "" && run.status == .failed && run.endTime == nil)
        #expect(run.metrics.count == 3)
        #expect(run.metrics[0].value.isNaN)
        #expect(run.metrics[1].value == .infinity && run.metrics[2].value == -.infinity)
        let models = try await source.loggedModels(experiment: experiments[0])
        #expect(models.map(\.status) == [.uploadFailed])
        #expect(models[0].metrics.first?.value == 0.5)
        let registered = try await source.registeredModels()
        #expect(registered.map(\.name) == ["clf"])
        #expect(registered[0].versions.map(\.version) == [1] && registered[0].lastVersion == 2)
        #expect(registered[0].versions[0].stage == .staging)
        #expect(registered[0].aliases == ["prod": 1])
    }

    @Test func neverWritesToTheMLflowDatabase() async throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let source = try await MLflowSQLSource.open(uri: try await writeMLflowDatabase(dir))
        defer { Task { try? await source.close() } }
        await #expect(throws: (any Error).self) {
            try await source.database.write { s in try s.execute("DELETE FROM runs") }
        }
    }

    @Test func refusesADatabaseThatIsNotMLflows() async throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        FileManager.default.createFile(atPath: dir.path + "/empty.db", contents: nil)
        await #expect(throws: TransferError.self) { try await MLflowSQLSource.open(uri: dir.sqlite("empty.db")) }
        await #expect(throws: TransferError.self) { try await MLflowSQLSource.open(uri: dir.sqlite("missing.db")) }
    }
}
