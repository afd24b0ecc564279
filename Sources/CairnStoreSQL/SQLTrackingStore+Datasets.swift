import CairnCore
import CairnStore

extension SQLTrackingStore {
    public func datasetSummaries(experimentIds: [String], limit: Int) async throws -> [DatasetSummary] {
        let keys = try experimentIds.map { id throws(MlflowError) in try StoreRules.experimentKey(id) }
        return try await read { s in
            try s.fetchAll(
                """
                SELECT d.experiment_id, d.name, d.digest, t.value
                FROM datasets d
                JOIN run_inputs i ON i.dataset = d.id
                LEFT JOIN input_tags t ON t.run = i.run AND t.dataset = i.dataset AND t.key = 'mlflow.data.context'
                WHERE d.experiment_id IN \(keys)
                GROUP BY d.experiment_id, d.name, d.digest, t.value
                ORDER BY MIN(d.id), MIN(i.run)
                LIMIT \(max(limit, 0))
                """
            ).map { row in
                let experiment: Int64 = try row.get("experiment_id")
                return DatasetSummary(
                    experimentId: String(experiment), name: try row.get("name"), digest: try row.get("digest"),
                    context: try row.get("value"))
            }
        }
    }
}
