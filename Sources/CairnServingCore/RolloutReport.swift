import CairnCore

/// Per model version and role: traffic, errors, latency, and how often a shadow or canary agrees
/// with the primary on the same inputs — what a user reads before moving an alias.
///
/// Feed records with ``add(_:)`` (any order), then read ``rows``.
public struct RolloutReport: Sendable {
    /// One line of the report.
    public struct Row: Sendable, Equatable {
        public var model: String
        public var version: String
        public var role: PredictionRecord.Role
        /// Distinct requests.
        public var requests: Int
        /// Predicted rows (records).
        public var rows: Int
        /// Share of requests whose status was not 200.
        public var errorRate: Double
        public var p50Millis: Double
        public var p99Millis: Double
        /// Rows compared with the primary's prediction on the same inputs.
        public var compared: Int
        /// Share of identical labels, when the outputs are labels (classifiers).
        public var agreement: Double?
        /// Mean absolute difference, when the outputs are numbers (regressors).
        public var meanAbsoluteDifference: Double?
    }

    struct Key: Hashable {
        var model: String
        var version: String
        var role: PredictionRecord.Role
    }

    struct Tally {
        var requests: [String: (status: Int, millis: Double)] = [:]
        var rows = 0
        /// (request id, row) and input fingerprint → output, for comparisons.
        var outputs: [(request: String, row: Int, inputs: [UInt8], output: JSONValue?)] = []
    }

    private var tallies: [Key: Tally] = [:]

    public init() {}

    /// Adds one record.
    public mutating func add(_ record: PredictionRecord) {
        let key = Key(model: record.model, version: record.version, role: record.role)
        var tally = tallies[key, default: Tally()]
        tally.requests[record.requestId] = (record.status, record.latencyMillis)
        tally.rows += 1
        var w = JSONWriter()
        w.object { w in
            for (k, v) in record.inputs.sorted(by: { $0.0 < $1.0 }) {
                w.key(k)
                w.value(v)
            }
        }
        tally.outputs.append((record.requestId, record.row, w.bytes, record.output))
        tallies[key] = tally
    }

    /// The report, primary rows first, then by model, version and role.
    public var rows: [Row] {
        let primaryByRequest: [String: [Int: JSONValue]] = {
            var map: [String: [Int: JSONValue]] = [:]
            for (key, t) in tallies where key.role == .primary {
                for o in t.outputs { if let out = o.output { map[o.request, default: [:]][o.row] = out } }
            }
            return map
        }()
        let primaryByInputs: [[UInt8]: JSONValue] = {
            var map: [[UInt8]: JSONValue] = [:]
            for (key, t) in tallies where key.role == .primary {
                for o in t.outputs { if let out = o.output { map[o.inputs] = out } }
            }
            return map
        }()
        var out: [Row] = []
        for (key, t) in tallies {
            let latencies = t.requests.values.map(\.millis)
            let failed = t.requests.values.filter { $0.status != 200 }.count
            var row = Row(
                model: key.model, version: key.version, role: key.role, requests: t.requests.count, rows: t.rows,
                errorRate: t.requests.isEmpty ? 0 : Double(failed) / Double(t.requests.count),
                p50Millis: Percentile.of(latencies, 0.5), p99Millis: Percentile.of(latencies, 0.99), compared: 0)
            if key.role != .primary {
                var pairs: [(JSONValue, JSONValue)] = []
                for o in t.outputs {
                    guard let mine = o.output else { continue }
                    let theirs =
                        key.role == .shadow ? primaryByRequest[o.request]?[o.row] : primaryByInputs[o.inputs]
                    if let theirs { pairs.append((mine, theirs)) }
                }
                row.compared = pairs.count
                if !pairs.isEmpty {
                    let numeric = pairs.allSatisfy { a, b in a.double != nil && b.double != nil }
                    let labels = pairs.allSatisfy { a, b in !a.isFloat && !b.isFloat }
                    if numeric && !labels {
                        let total = pairs.reduce(0.0) { $0 + abs($1.0.double! - $1.1.double!) }
                        row.meanAbsoluteDifference = total / Double(pairs.count)
                    } else {
                        row.agreement = Double(pairs.filter { $0.0 == $0.1 }.count) / Double(pairs.count)
                    }
                }
            }
            out.append(row)
        }
        return out.sorted { a, b in
            if (a.role == .primary) != (b.role == .primary) { return a.role == .primary }
            return (a.model, a.version, a.role.rawValue) < (b.model, b.version, b.role.rawValue)
        }
    }
}

extension JSONValue {
    var isFloat: Bool {
        if case .double = self { return true }
        return false
    }
}
