import CairnCore
import CairnDrift
import CairnServingCore

/// What the monitor found in one window of the prediction log.
public struct WindowReport: Sendable {
    /// 0-based window number.
    public var index: Int
    /// Window start (the time bucket's start, or the first prediction's time), milliseconds since the epoch.
    public var startMillis: Int64
    /// Window end (the bucket's end, or the last prediction's time).
    public var endMillis: Int64
    /// 0-based index of the window's first prediction in the log.
    public var firstPrediction: Int
    /// Predicted rows (failed requests' rows included).
    public var predictions: Int
    /// Distinct requests.
    public var requests: Int
    /// Rows whose request failed (status 400 or more).
    public var errors: Int
    /// Median request latency in milliseconds.
    public var latencyP50: Double
    /// 99th-percentile request latency in milliseconds.
    public var latencyP99: Double
    /// Data drift of each feature against the reference; nil when the window is the reference itself.
    public var drift: DatasetDriftResult?
    /// Drift of the outputs against the first window's outputs; nil for the first window.
    public var predictionDrift: ColumnDriftResult?
    /// Mean of numeric outputs.
    public var predictionMean: Double?
    /// Share of each class among text outputs, or of each value among integral outputs (at most 20).
    public var predictionShares: [(String, Double)] = []
    /// Share of feature values that were missing (null, absent, NaN).
    public var missingShare: Double
    /// Share of numeric feature values outside the reference's [min, max].
    public var outOfRangeShare: Double
    /// Labels joined to predictions during the window.
    public var labels: Int
    /// Share of labelled class predictions that were right.
    public var accuracy: Double?
    /// Mean absolute error of labelled numeric predictions.
    public var meanAbsoluteError: Double?
    /// Concept drift found during the window.
    public var conceptDrift: [ConceptDriftEvent]

    /// Share of rows whose request failed.
    public var errorRate: Double { predictions > 0 ? Double(errors) / Double(predictions) : 0 }

    /// The window's metrics by name, as logged to its run and exported to Prometheus.
    public var metrics: [(name: String, value: Double)] {
        var out: [(String, Double)] = [
            ("predictions", Double(predictions)), ("requests", Double(requests)), ("error_rate", errorRate),
            ("latency.p50_ms", latencyP50), ("latency.p99_ms", latencyP99), ("missing.share", missingShare),
            ("out_of_range.share", outOfRangeShare), ("labels", Double(labels)),
            ("concept_drift.detections", Double(conceptDrift.count)),
        ]
        if let drift {
            out.append(("drift.share", drift.driftShare))
            out.append(("drift.drifted_columns", Double(drift.driftedColumns)))
            for c in drift.columns where c.score.isFinite {
                out.append(("drift.\(Self.metricKey(c.name)).score", c.score))
            }
        }
        if let p = predictionDrift, p.score.isFinite { out.append(("prediction_drift.score", p.score)) }
        if let predictionMean { out.append(("prediction.mean", predictionMean)) }
        for (label, share) in predictionShares { out.append(("prediction.share.\(Self.metricKey(label))", share)) }
        if let accuracy { out.append(("accuracy", accuracy)) }
        if let meanAbsoluteError { out.append(("mae", meanAbsoluteError)) }
        return out.filter { $0.1.isFinite }
    }

    /// A metric value by name.
    public func metric(_ name: String) -> Double? { metrics.first { $0.name == name }?.value }

    /// A metric-safe version of a column name (MLflow keys allow letters, digits, `_ - . /` and spaces).
    public static func metricKey(_ name: String) -> String {
        String(name.map { ch in ch.isLetter || ch.isNumber || "_-./ ".contains(ch) ? ch : "_" })
    }

    /// The window as the JSON report (`report.json` of its run).
    public func writeJSON(_ w: inout JSONWriter, model: String, version: String) {
        w.object { w in
            w.field("model", model)
            w.field("version", version)
            w.field("window", Int64(index))
            w.field("start", RFC3339.format(millis: startMillis))
            w.field("end", RFC3339.format(millis: endMillis))
            w.field("first_prediction", Int64(firstPrediction))
            w.key("metrics")
            w.object { w in
                for (name, value) in metrics { w.field(name, value) }
            }
            w.key("features")
            w.array { w in
                for c in drift?.columns ?? [] {
                    w.object { w in
                        w.field("name", c.name)
                        w.field("type", c.type.rawValue)
                        w.field("test", c.test.rawValue)
                        w.field("score", c.score)
                        w.field("threshold", c.threshold)
                        w.field("drift_detected", c.driftDetected)
                    }
                }
            }
            w.key("prediction_shares")
            w.object { w in
                for (label, share) in predictionShares { w.field(label, share) }
            }
            w.key("concept_drift")
            w.array { w in
                for e in conceptDrift {
                    w.object { w in
                        w.field("index", Int64(e.index))
                        w.field("prediction_time", RFC3339.format(millis: e.predictionMillis))
                        w.field("label_time", RFC3339.format(millis: e.labelMillis))
                    }
                }
            }
        }
    }
}
