import Foundation

/// A condition on a window metric that raises an alert: `metric op threshold` for `forWindows`
/// consecutive windows, re-raised at most once per `cooldownSeconds` of log time.
public struct AlertRule: Sendable, Equatable {
    /// How the metric is compared with the threshold.
    public enum Comparison: String, Sendable, CaseIterable {
        case greater = ">"
        case greaterOrEqual = ">="
        case less = "<"
        case lessOrEqual = "<="
        case equal = "=="
        case notEqual = "!="

        /// Whether `value` meets the condition.
        public func holds(_ value: Double, _ threshold: Double) -> Bool {
            switch self {
            case .greater: value > threshold
            case .greaterOrEqual: value >= threshold
            case .less: value < threshold
            case .lessOrEqual: value <= threshold
            case .equal: value == threshold
            case .notEqual: value != threshold
            }
        }
    }

    /// Severity label of the alert.
    public enum Severity: String, Sendable, CaseIterable {
        case info, warning, critical
    }

    /// Alert name (letters, digits and `_`, as Prometheus alert names).
    public var name: String
    /// Window metric watched (`drift.share`, `latency.p99_ms`, `drift.age.score`, …).
    public var metric: String
    /// Comparison.
    public var op: Comparison
    /// Threshold.
    public var threshold: Double
    /// Consecutive windows the condition must hold.
    public var forWindows: Int
    /// Severity.
    public var severity: Severity
    /// Least log time between two alerts of this rule, in seconds.
    public var cooldownSeconds: Double
    /// One line for people.
    public var summary: String
    /// A shell command run when the alert fires (at most once per cooldown).
    public var onFire: String?

    /// Creates a rule, checking every field.
    public init(
        name: String, metric: String, op: Comparison, threshold: Double, forWindows: Int = 1,
        severity: Severity = .warning, cooldownSeconds: Double = 3600, summary: String = "", onFire: String? = nil
    ) throws(MonitorError) {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }),
            !name.first!.isNumber
        else { throw .invalid("alert name '\(name)': use letters, digits and _, not starting with a digit") }
        guard !metric.isEmpty, metric.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) })
        else { throw .invalid("rule \(name): metric '\(metric)' is not a monitor metric name") }
        guard threshold.isFinite else { throw .invalid("rule \(name): threshold must be a finite number") }
        guard forWindows >= 1 else { throw .invalid("rule \(name): 'for' must be 1 window or more") }
        guard cooldownSeconds >= 0, cooldownSeconds.isFinite else {
            throw .invalid("rule \(name): cooldown must not be negative")
        }
        self.name = name
        self.metric = metric
        self.op = op
        self.threshold = threshold
        self.forWindows = forWindows
        self.severity = severity
        self.cooldownSeconds = cooldownSeconds
        self.summary = summary.isEmpty ? "\(metric) \(op.rawValue) \(Self.format(threshold))" : summary
        self.onFire = onFire
    }

    /// The Prometheus gauge that carries `metric`: `cairn_monitor_` and the name with `.`/`-` as `_`.
    public static func gaugeName(_ metric: String) -> String {
        "cairn_monitor_" + String(metric.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    /// The rules used when no rules file is given.
    public static let defaults: [AlertRule] = {
        // The literals below are valid, so construction cannot fail.
        func rule(
            _ name: String, _ metric: String, _ op: Comparison, _ threshold: Double, for n: Int, _ severity: Severity,
            _ summary: String
        ) -> AlertRule {
            (try? AlertRule(
                name: name, metric: metric, op: op, threshold: threshold, forWindows: n, severity: severity,
                summary: summary))!
        }
        return [
            rule(
                "data_drift", "drift.drifted_columns", .greaterOrEqual, 1, for: 1, .warning,
                "Input features drifted from the training reference"),
            rule(
                "prediction_drift", "prediction_drift.score", .greaterOrEqual, 0.2, for: 1, .warning,
                "The distribution of predictions moved away from the first window's"),
            rule(
                "concept_drift", "concept_drift.detections", .greaterOrEqual, 1, for: 1, .critical,
                "The error rate on labelled predictions changed (concept drift)"),
            rule("error_rate", "error_rate", .greater, 0.05, for: 2, .critical, "More than 5% of predictions failed"),
            rule("latency_p99", "latency.p99_ms", .greater, 1000, for: 3, .warning, "p99 latency above 1 s"),
        ]
    }()
}

/// Parses durations such as `90`, `30s`, `15m`, `1h`, `1d` into seconds.
public enum DurationText {
    /// Seconds in `text`, or nil when it is not a duration.
    public static func seconds(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let v = Double(t), v >= 0 { return v }
        for (suffix, scale) in [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)] where t.hasSuffix(suffix)
        {
            if let v = Double(t.dropLast(suffix.count)), v >= 0, v.isFinite { return v * scale }
        }
        return nil
    }

    /// Prometheus' duration form (`0s`, `90s`, `15m`, `2h`).
    public static func prometheus(_ seconds: Double) -> String {
        let s = Int64(seconds.rounded())
        if s > 0 && s % 3600 == 0 { return "\(s / 3600)h" }
        if s > 0 && s % 60 == 0 { return "\(s / 60)m" }
        return "\(s)s"
    }
}
