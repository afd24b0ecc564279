import CairnCore
import CairnMonitor
import Foundation

/// The monitoring loop: reads a prediction-log folder (once, or following new records), runs the
/// ``PredictionMonitor`` over it, and for every closed window logs a run, updates the gauges, applies
/// the alert rules, and delivers each alert (tagged run, webhook, `on_fire` command).
public struct MonitorLoop: Sendable {
    /// Everything the loop is set up from.
    public struct Options: Sendable {
        /// The prediction-log folder.
        public var directory: String
        /// The monitor's settings.
        public var settings: MonitorSettings
        /// Alert rules.
        public var rules: [AlertRule]
        /// The model version watched.
        public var model: MonitoredModel
        /// Keep watching for new records instead of stopping at the end of the log.
        public var follow = false
        /// How often a followed folder is read again.
        public var pollInterval: Duration = .seconds(1)
        /// Tracking server URI (for links and the `on_fire` environment).
        public var trackingUri: String?

        /// Creates options.
        public init(directory: String, settings: MonitorSettings, rules: [AlertRule], model: MonitoredModel) {
            self.directory = directory
            self.settings = settings
            self.rules = rules
            self.model = model
        }
    }

    /// Something the loop did, for the terminal.
    public enum Event: Sendable {
        /// A window closed (and was logged as `runId`).
        case window(WindowReport, runId: String?)
        /// An alert was raised, logged as `runId`, and delivered to the webhook as `delivery`.
        case alert(AlertEvent, runId: String?, delivery: WebhookNotifier.Outcome?)
        /// A rule's command ran and exited with `status` (nil when it could not start: `error`).
        case command(AlertEvent, status: Int32?, error: String?)
    }

    /// Totals at the end of a one-shot pass.
    public struct Summary: Sendable, Equatable {
        /// Windows closed.
        public var windows = 0
        /// Alerts raised.
        public var alerts = 0
        /// Predictions of the watched model read.
        public var predictions = 0
        /// Records of other models or versions.
        public var otherRecords = 0
        /// Lines that were neither predictions nor labels.
        public var unreadableLines = 0
        /// Labels with no matching prediction.
        public var unmatchedLabels = 0
        /// Predictions in a final partial window too small to report.
        public var leftover = 0
    }

    let options: Options
    let logger: MonitorRunLogger?
    let webhook: WebhookNotifier?
    let metrics: MonitorMetrics?
    let events: @Sendable (Event) -> Void

    /// Creates a loop; each sink is optional.
    public init(
        options: Options, logger: MonitorRunLogger?, webhook: WebhookNotifier?, metrics: MonitorMetrics?,
        events: @escaping @Sendable (Event) -> Void = { _ in }
    ) {
        self.options = options
        self.logger = logger
        self.webhook = webhook
        self.metrics = metrics
        self.events = events
    }

    /// Runs until the end of the log (or, when following, until cancelled).
    public func run() async throws -> Summary {
        var monitor = try PredictionMonitor(settings: options.settings)
        var alerts = AlertEvaluator(rules: options.rules, model: options.model.name, version: options.model.version)
        var offsets: [String: Int] = [:]
        var summary = Summary()
        guard FileManager.default.fileExists(atPath: options.directory) else {
            throw MonitorError.invalid("no prediction log folder at \(options.directory)")
        }
        while true {
            for path in try PredictionLogFiles.list(directory: options.directory) {
                var reports: [WindowReport] = []
                var unreadable = 0
                let end = try PredictionLogFiles.readLines(
                    path: path, from: offsets[path] ?? 0, final: !options.follow
                ) { line in
                    if let closed = monitor.add(line: line) {
                        reports += closed
                    } else {
                        unreadable += 1
                    }
                }
                offsets[path] = end
                summary.unreadableLines += unreadable
                for report in reports { try await handle(report, &alerts, &summary) }
            }
            guard options.follow, !Task.isCancelled else { break }
            if let report = monitor.closeIfExpired(nowMillis: WallClock.nowMillis()) {
                try await handle(report, &alerts, &summary)
            }
            do {
                try await Task.sleep(for: options.pollInterval)
            } catch {
                break
            }
        }
        let (last, leftover) = monitor.finish()
        if let last { try await handle(last, &alerts, &summary) }
        summary.leftover = leftover
        summary.predictions = monitor.predictionCount
        summary.otherRecords = monitor.otherRecords
        summary.unmatchedLabels = monitor.unmatchedLabels
        return summary
    }

    private func handle(_ report: WindowReport, _ alerts: inout AlertEvaluator, _ summary: inout Summary) async throws {
        let model = options.model
        let runId = try await logger?.log(report)
        summary.windows += 1
        metrics?.update(report, model: model.name, version: model.version)
        events(.window(report, runId: runId))
        let raised = alerts.evaluate(report)
        metrics?.alerts(alerts, model: model.name, version: model.version)
        for event in raised {
            summary.alerts += 1
            metrics?.fired(event)
            let alertRun = try await logger?.log(event, windowRun: runId)
            let link = runId.flatMap { id in options.trackingUri.map { Self.runPage($0, id) } }
            let delivery = await webhook?.send(event, link: link)
            events(.alert(event, runId: alertRun, delivery: delivery))
            if let command = event.rule.onFire {
                let env = AlertCommand.environment(event, windowRun: runId, trackingUri: options.trackingUri)
                do {
                    let status = try await AlertCommand.run(command, environment: env)
                    events(.command(event, status: status, error: nil))
                } catch {
                    events(.command(event, status: nil, error: "\(error)"))
                }
            }
        }
    }

    /// The web UI page of a run: `http://host:5000/runs/ID`.
    static func runPage(_ trackingUri: String, _ runId: String) -> String {
        var base = trackingUri
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/runs/" + runId
    }
}
