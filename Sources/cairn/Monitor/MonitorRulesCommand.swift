import ArgumentParser
import CairnMonitor
import Foundation

/// `cairn monitor rules`: the alert rules as a Prometheus alerting-rules file.
struct MonitorRulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Print the alert rules as a Prometheus alerting-rules file (YAML on stdout).",
        discussion: """
            The rules read the gauges 'cairn monitor --metrics-port' serves (cairn_monitor_<metric> with dots \
            as underscores, labelled model and version). A rule's 'for: N' windows becomes Prometheus' \
            for: (N-1) × --window.

            Examples:
              cairn monitor rules > cairn-monitor.rules.yml
              cairn monitor rules --config alerts.yml --window 1h
            """
    )

    @Option(help: ArgumentHelp("Alert rules YAML (default: the built-in rules).", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("Length of one monitoring window (30s, 15m, 1h).", valueName: "duration"))
    var window = "1m"

    func validate() throws {
        guard let s = DurationText.seconds(window), s >= 1 else {
            throw ValidationError("--window \(window): give a duration such as 30s, 15m or 1h.")
        }
    }

    func run() throws {
        let rules: [AlertRule]
        do {
            rules = try config.map { try AlertRuleFile.read(path: $0) } ?? AlertRule.defaults
        } catch let error as MonitorError {
            throw CLIError(error.description)
        }
        print(PrometheusRules.render(rules, windowSeconds: DurationText.seconds(window)!), terminator: "")
    }
}
