import Foundation
import Yams

/// Reads alert rules from YAML:
///
/// ```yaml
/// rules:
///   - name: data_drift
///     metric: drift.share
///     op: ">="
///     threshold: 0.3
///     for: 2            # consecutive windows
///     severity: warning # info, warning or critical
///     cooldown: 1h
///     summary: Inputs drifted
///     on_fire: cairn sweep train.py --grid lr=0.01,0.1
/// ```
///
/// A file replaces the built-in ``AlertRule/defaults``; `include_defaults: true` keeps them too
/// (a rule with a default's name replaces that one).
public enum AlertRuleFile {
    struct File: Decodable {
        var rules: [Entry]?
        var includeDefaults: Bool?
        enum CodingKeys: String, CodingKey {
            case rules
            case includeDefaults = "include_defaults"
        }
    }

    struct Entry: Decodable {
        var name: String?
        var metric: String?
        var op: String?
        var threshold: Double?
        var forWindows: Int?
        var severity: String?
        var cooldown: String?
        var summary: String?
        var onFire: String?
        enum CodingKeys: String, CodingKey {
            case name, metric, op, threshold, severity, cooldown, summary
            case forWindows = "for"
            case onFire = "on_fire"
        }
    }

    /// Reads rules from a file.
    public static func read(path: String) throws(MonitorError) -> [AlertRule] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .invalid("cannot read the rules file \(path)")
        }
        return try parse(text, source: path)
    }

    /// Parses rules from YAML text.
    public static func parse(_ text: String, source: String = "rules") throws(MonitorError) -> [AlertRule] {
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: text)
        } catch {
            throw .invalid("\(source): not a rules file (\(error))")
        }
        guard let entries = file.rules, !entries.isEmpty else {
            throw .invalid("\(source): no rules; write 'rules:' with a list of rules")
        }
        var rules: [AlertRule] = []
        for (i, e) in entries.enumerated() {
            let at = "\(source): rule \(i + 1)\(e.name.map { " (\($0))" } ?? "")"
            guard let name = e.name else { throw .invalid("\(at): needs a name") }
            guard let metric = e.metric else { throw .invalid("\(at): needs a metric") }
            guard let threshold = e.threshold else { throw .invalid("\(at): needs a numeric threshold") }
            let opText = e.op ?? ">="
            guard let op = AlertRule.Comparison(rawValue: opText) else {
                throw .invalid(
                    "\(at): op '\(opText)' is not one of "
                        + AlertRule.Comparison.allCases.map(\.rawValue).joined(separator: " "))
            }
            let severityText = e.severity ?? "warning"
            guard let severity = AlertRule.Severity(rawValue: severityText) else {
                throw .invalid("\(at): severity '\(severityText)' is not info, warning or critical")
            }
            var cooldown = 3600.0
            if let c = e.cooldown {
                guard let s = DurationText.seconds(c) else {
                    throw .invalid("\(at): cooldown '\(c)' is not a duration")
                }
                cooldown = s
            }
            do {
                rules.append(
                    try AlertRule(
                        name: name, metric: metric, op: op, threshold: threshold, forWindows: e.forWindows ?? 1,
                        severity: severity, cooldownSeconds: cooldown, summary: e.summary ?? "", onFire: e.onFire))
            } catch {
                throw .invalid("\(source): \(error.description)")
            }
        }
        let names = rules.map(\.name)
        if let dup = names.first(where: { n in names.filter { $0 == n }.count > 1 }) {
            throw .invalid("\(source): two rules are named \(dup)")
        }
        if file.includeDefaults == true {
            rules = AlertRule.defaults.filter { d in !names.contains(d.name) } + rules
        }
        return rules
    }
}
