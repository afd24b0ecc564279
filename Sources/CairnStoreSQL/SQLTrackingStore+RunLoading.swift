import CairnCore
import CairnStore

extension SQLTrackingStore {
    /// Builds full runs (params, tags, latest metrics, inputs, outputs) for run rows, in their
    /// order. Each kind of child row comes in one query, read column by column.
    static func loadRuns(_ s: any SQLSession, records: [RunRecord]) throws -> [Run] {
        guard !records.isEmpty else { return [] }
        var keys: [Int64] = []
        keys.reserveCapacity(records.count)
        var runs: [Run] = []
        runs.reserveCapacity(records.count)
        var position: [Int64: Int] = [:]
        position.reserveCapacity(records.count)
        var order: [Int] = []
        order.reserveCapacity(records.count)
        for record in records {
            if let i = position[record.key] {
                order.append(i)
                continue
            }
            position[record.key] = runs.count
            order.append(runs.count)
            keys.append(record.key)
            runs.append(Run(info: record.info))
        }
        try s.forEachRow("SELECT run, key, value FROM params WHERE run IN \(literalList: keys)") { row in
            guard let i = position[try row.int64(0)] else { return }
            runs[i].params.append(KeyValue(try row.string(1), try row.string(2)))
        }
        try s.forEachRow("SELECT run, key, value FROM tags WHERE run IN \(literalList: keys)") { row in
            guard let i = position[try row.int64(0)] else { return }
            runs[i].tags.append(KeyValue(try row.string(1), try row.string(2)))
        }
        try s.forEachRow(
            "SELECT run, key, step, timestamp, value, is_nan FROM latest_metrics WHERE run IN \(literalList: keys)"
        ) { row in
            guard let i = position[try row.int64(0)] else { return }
            runs[i].metrics.append(
                Metric(
                    key: try row.string(1), value: StoredValue.value(try row.double(4), isNan: try row.bool(5)),
                    timestamp: try row.int64(3), step: try row.int64(2)))
        }
        let inputRows = try s.fetchAll(
            """
            SELECT ri.run, d.id, d.name, d.digest, d.source_type, d.source, d.schema, d.profile
            FROM run_inputs ri JOIN datasets d ON d.id = ri.dataset WHERE ri.run IN \(literalList: keys)
            ORDER BY ri.run, d.id
            """)
        if !inputRows.isEmpty {
            struct Pair: Hashable {
                let run: Int64
                let dataset: Int64
            }
            var inputTags: [Pair: [KeyValue]] = [:]
            try s.forEach("SELECT run, dataset, key, value FROM input_tags WHERE run IN \(literalList: keys)") { row in
                inputTags[Pair(run: try row.get(0), dataset: try row.get(1)), default: []].append(
                    KeyValue(try row.get(2), try row.get(3)))
            }
            for row in inputRows {
                let pair = Pair(run: try row.get(0), dataset: try row.get(1))
                let dataset = Dataset(
                    name: try row.get(2), digest: try row.get(3), sourceType: try row.get(4), source: try row.get(5),
                    schema: try row.get(6), profile: try row.get(7))
                guard let i = position[pair.run] else { continue }
                runs[i].datasetInputs.append(DatasetInput(tags: inputTags[pair] ?? [], dataset: dataset))
            }
        }
        try s.forEach("SELECT run, model_id FROM model_inputs WHERE run IN \(literalList: keys)") { row in
            guard let i = position[try row.get(0)] else { return }
            runs[i].modelInputs.append(ModelReference(modelId: try row.get(1)))
        }
        try s.forEach("SELECT run, model_id, step FROM model_outputs WHERE run IN \(literalList: keys)") { row in
            guard let i = position[try row.get(0)] else { return }
            runs[i].modelOutputs.append(ModelReference(modelId: try row.get(1), step: try row.get(2)))
        }
        // A run listed twice comes back twice, in the order of the rows.
        return order.count == runs.count ? runs : order.map { runs[$0] }
    }

    public func metricHistory(runId: String, key: String, maxResults: Int, after: Metric?) async throws -> Page<Metric>
    {
        try await read { s in
            let run = try Self.requireRun(s, runId)
            var sql: SQLStatement = """
                SELECT step, timestamp, value, is_nan, model_id, dataset_name, dataset_digest FROM metrics
                WHERE run = \(run.key) AND key = \(key)
                """
            if let after {
                let v = StoredValue(after.value)
                sql +=
                    " AND (step, timestamp, value, is_nan) > (\(after.step), \(after.timestamp), \(v.value), \(v.isNan))"
            }
            sql += " ORDER BY step, timestamp, value, is_nan LIMIT \(maxResults + 1)"
            var items: [Metric] = []
            items.reserveCapacity(min(maxResults + 1, 100_000))
            try s.forEachRow(sql) { row in
                items.append(
                    Metric(
                        key: key, value: StoredValue.value(try row.double(2), isNan: try row.bool(3)),
                        timestamp: try row.int64(1), step: try row.int64(0), modelId: try row.optionalString(4),
                        datasetName: try row.optionalString(5), datasetDigest: try row.optionalString(6)))
            }
            let more = items.count > maxResults
            if more { items.removeLast() }
            return Page(items: items, nextOffset: more ? items.count : nil)
        }
    }

    public func metricHistories(runIds: [String], key: String, startStep: Int64?, endStep: Int64?) async throws
        -> [Metric]
    {
        try await read { s in
            var result: [Metric] = []
            for uuid in runIds {
                guard let runKey = try s.scalar(Int64.self, "SELECT id FROM runs WHERE run_uuid = \(uuid)") else {
                    continue
                }
                var sql: SQLStatement =
                    "SELECT step, timestamp, value, is_nan FROM metrics WHERE run = \(runKey) AND key = \(key)"
                if let startStep, let endStep { sql += " AND step >= \(startStep) AND step <= \(endStep)" }
                sql += " ORDER BY step, timestamp, value"
                try s.forEachRow(sql) { row in
                    result.append(
                        Metric(
                            key: key, value: StoredValue.value(try row.double(2), isNan: try row.bool(3)),
                            timestamp: try row.int64(1), step: try row.int64(0), runId: uuid))
                }
            }
            return result
        }
    }
}
