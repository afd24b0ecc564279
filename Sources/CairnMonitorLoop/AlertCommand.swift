import CairnCore
import CairnMonitor
import CairnServingCore
import Foundation

/// Runs a rule's `on_fire` shell command with the alert in its environment:
/// `CAIRN_ALERT_NAME`, `CAIRN_ALERT_SEVERITY`, `CAIRN_ALERT_METRIC`, `CAIRN_ALERT_VALUE`,
/// `CAIRN_ALERT_THRESHOLD`, `CAIRN_ALERT_SUMMARY`, `CAIRN_ALERT_WINDOW`, `CAIRN_ALERT_WINDOW_START`,
/// `CAIRN_ALERT_WINDOW_END`, `CAIRN_ALERT_RUN_ID` (the window's run, when logged), `CAIRN_MODEL_NAME`,
/// `CAIRN_MODEL_VERSION` and `MLFLOW_TRACKING_URI`. The evaluator's cooldown already keeps it to once
/// per cooldown.
public enum AlertCommand {
    /// The environment the command gets (added to the monitor's own).
    public static func environment(_ event: AlertEvent, windowRun: String?, trackingUri: String?) -> [String: String] {
        var env = [
            "CAIRN_ALERT_NAME": event.rule.name, "CAIRN_ALERT_SEVERITY": event.rule.severity.rawValue,
            "CAIRN_ALERT_METRIC": event.rule.metric, "CAIRN_ALERT_VALUE": String(event.value),
            "CAIRN_ALERT_THRESHOLD": String(event.rule.threshold), "CAIRN_ALERT_SUMMARY": event.rule.summary,
            "CAIRN_ALERT_WINDOW": String(event.window),
            "CAIRN_ALERT_WINDOW_START": RFC3339.format(millis: event.windowStartMillis),
            "CAIRN_ALERT_WINDOW_END": RFC3339.format(millis: event.windowEndMillis),
            "CAIRN_MODEL_NAME": event.model, "CAIRN_MODEL_VERSION": event.version,
        ]
        if let windowRun { env["CAIRN_ALERT_RUN_ID"] = windowRun }
        if let trackingUri { env["MLFLOW_TRACKING_URI"] = trackingUri }
        return env
    }

    /// Runs `command` with `/bin/sh -c` and waits for it; returns its exit status.
    public static func run(_ command: String, environment: [String: String]) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { p in continuation.resume(returning: p.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }
}
