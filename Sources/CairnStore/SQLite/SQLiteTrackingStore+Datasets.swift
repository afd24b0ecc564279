import CairnCore
import GRDB

extension SQLiteTrackingStore {
    public func datasetSummaries(experimentIds: [String], limit: Int) async throws -> [DatasetSummary] {
        var parsed: [Int64] = []
        for id in experimentIds { parsed.append(try Self.experimentKey(id)) }
        let keys = parsed
        return try await read { db in
            let sql: SQL = """
                SELECT d.experiment_id, d.name, d.digest, t.value
                FROM datasets d
                JOIN run_inputs i ON i.dataset = d.id
                LEFT JOIN input_tags t ON t.run = i.run AND t.dataset = i.dataset AND t.key = 'mlflow.data.context'
                WHERE d.experiment_id IN \(keys)
                GROUP BY d.experiment_id, d.name, d.digest, t.value
                ORDER BY MIN(d.id), MIN(i.run)
                LIMIT \(max(limit, 0))
                """
            return try Row.fetchAll(db, SQLRequest(literal: sql)).map { row in
                let experiment: Int64 = row["experiment_id"]
                return DatasetSummary(
                    experimentId: String(experiment), name: row["name"], digest: row["digest"], context: row["value"])
            }
        }
    }
}
