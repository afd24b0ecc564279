import ArgumentParser

/// `cairn monitor`: the production monitoring loop (`watch`, the default) and its Prometheus rules.
struct MonitorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Watch a model's prediction log for drift, accuracy and health; print its alert rules.",
        discussion: """
            'cairn monitor MODEL_URI --prediction-log DIR' is 'cairn monitor watch …'.

            Examples:
              cairn monitor models:/churn/3 --prediction-log ./predictions --window 1000
              cairn monitor rules --window 1h > cairn-monitor.rules.yml
            """,
        subcommands: [MonitorWatchCommand.self, MonitorRulesCommand.self],
        defaultSubcommand: MonitorWatchCommand.self
    )
}
