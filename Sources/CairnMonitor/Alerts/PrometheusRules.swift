/// Renders alert rules as a Prometheus alerting-rules file over the gauges `cairn monitor
/// --metrics-port` exports (``AlertRule/gaugeName(_:)``, labelled `model` and `version`).
///
/// `for` N windows becomes Prometheus' `for: (N − 1) × window`: the gauge keeps the latest window's
/// value, so a condition held over N windows has held for N − 1 window lengths once the N-th shows.
public enum PrometheusRules {
    /// The rules file as YAML text.
    public static func render(_ rules: [AlertRule], windowSeconds: Double, group: String = "cairn-monitor") -> String {
        var out = "groups:\n  - name: \(quote(group))\n    rules:\n"
        for rule in rules {
            let threshold = AlertRule.format(rule.threshold)
            out += "      - alert: \(rule.name)\n"
            out += "        expr: \(quote("\(AlertRule.gaugeName(rule.metric)) \(rule.op.rawValue) \(threshold)"))\n"
            if rule.forWindows > 1 {
                out += "        for: \(DurationText.prometheus(Double(rule.forWindows - 1) * windowSeconds))\n"
            }
            out += "        labels:\n"
            out += "          severity: \(rule.severity.rawValue)\n"
            out += "        annotations:\n"
            out += "          summary: \(quote(rule.summary))\n"
            out += "          description: "
            out += quote(
                "{{ $labels.model }}/{{ $labels.version }}: \(rule.metric) = {{ $value }} (threshold \(threshold))")
            out += "\n"
        }
        return out
    }

    /// A double-quoted YAML scalar.
    static func quote(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 {
                    let hex = String(ch.value, radix: 16)
                    out += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out + "\""
    }
}
