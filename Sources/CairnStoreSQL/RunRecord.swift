import CairnCore

/// A row of `runs`, selected with ``RunRecord/columns`` and read in that column order.
///
/// Run rows are read in bulk (a search returns thousands), so the record reads by position from
/// the column list declared next to it rather than looking names up per row.
struct RunRecord {
    /// The columns of a run row, in the order ``init(_:)`` reads them (runs aliased `r`).
    static let columns =
        "r.id, r.run_uuid, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.artifact_uri, r.lifecycle_stage"

    var key: Int64
    var info: RunInfo

    /// Reads a row selected with ``columns``.
    init(_ row: some SQLRowReader) throws(SQLStoreError) {
        key = try row.int64(0)
        let experiment = try row.int64(2)
        info = RunInfo(
            runId: try row.string(1), runName: try row.string(3), experimentId: String(experiment),
            userId: try row.string(4), status: RunStatus(rawValue: try row.string(5)) ?? .running,
            startTime: try row.int64(6), endTime: try row.optionalInt64(7), artifactUri: try row.string(8),
            lifecycleStage: LifecycleStage(rawValue: try row.string(9)) ?? .active)
    }
}

/// The internal key and state of a run, as looked up inside a transaction.
struct RunHandle {
    var key: Int64
    var uuid: String
    var experimentKey: Int64
    var stage: LifecycleStage
}

/// A metric point as stored: NaN is a flag beside a 0 value, so that NaN sorts and compares apart.
struct StoredValue {
    var value: Double
    var isNan: Bool

    /// Splits a value.
    init(_ value: Double) {
        isNan = value.isNaN
        self.value = isNan ? 0 : value
    }

    /// Joins a stored value and flag.
    static func value(_ stored: Double, isNan: Bool) -> Double { isNan ? .nan : stored }
}
