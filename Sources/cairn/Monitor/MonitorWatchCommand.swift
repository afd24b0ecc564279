import ArgumentParser
import CairnClient
import CairnCore
import CairnDrift
import CairnMonitor
import CairnMonitorLoop
import CairnServiceKit
import CairnServingCore
import Foundation

/// `cairn monitor [watch]`: watches a served model's prediction log for drift, accuracy and health.
struct MonitorWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch a model's prediction log: data, prediction and concept drift, health, alerts.",
        discussion: """
            Reads every predictions-*.jsonl / *.jsonl.gz file of the folder 'cairn serve --prediction-log' \
            writes, in name order, cuts it into windows (--window 5000 predictions, or --window 1h) and logs each \
            window as a run of the experiment monitor/NAME: drift.share, drift.<feature>.score, \
            prediction_drift.score, missing.share, out_of_range.share, error_rate, latency.p50_ms, \
            latency.p99_ms, accuracy (from POST /feedback labels), concept_drift.detections, with the JSON and \
            HTML reports as artifacts.

            The reference is the profile stored with the version's training run ('cairn profile DATA \
            --log-to URL --run RUN_ID'), or --reference FILE (CSV, JSON Lines or a profile), or else the first \
            window. Alerts follow the rules file (--rules; see 'cairn monitor rules') or the built-in rules; \
            each alert is logged as a run tagged cairn.kind=monitor-alert, posted to --webhook and may run \
            the rule's on_fire command. Alerts are not errors: the exit status is 0 when the log was read.

            Examples:
              cairn monitor models:/churn/3 --prediction-log ./predictions --window 1000
              cairn monitor models:/churn@champion --prediction-log ./predictions --window 1h --follow \\
                  --metrics-port 9464 --webhook http://alerts.internal/hook
            """
    )

    @Argument(
        help: ArgumentHelp(
            "The model version watched: models:/NAME/VERSION or models:/NAME@ALIAS.", valueName: "model-uri"))
    var modelURI: String?

    @Option(help: ArgumentHelp("Folder of the prediction log (cairn serve --prediction-log).", valueName: "dir"))
    var predictionLog: String?

    @Option(
        help: ArgumentHelp(
            "Window: a number of predictions (1000) or a duration (30s, 15m, 1h).", valueName: "n|duration"))
    var window = "1000"

    @Option(
        help: ArgumentHelp("Reference data (CSV, JSON Lines) or profile (.json from cairn profile).", valueName: "file")
    )
    var reference: String?

    @Option(help: ArgumentHelp("Comma-separated reference columns to treat as categorical.", valueName: "c,d"))
    var categorical: String?

    @Option(
        help: ArgumentHelp(
            "The model's outputs on validation data (CSV or JSON Lines); prediction drift compares every window with "
                + "them instead of with the first window.", valueName: "file"))
    var validationOutputs: String?

    @Option(
        help: ArgumentHelp(
            "The column of --validation-outputs holding the outputs (default: its only column, or 'prediction').",
            valueName: "name"))
    var outputColumn: String?

    @Option(help: "Drift test for every feature (default: psi for numbers, jensenshannon for categories).")
    var test: String?

    @Option(help: "Drift threshold for every feature instead of the test's default.")
    var threshold: Double?

    @Option(help: "Streaming detector on the error stream: \(DetectorCatalog.names.joined(separator: ", ")).")
    var detector = DetectorCatalog.defaultErrorDetector

    @Option(
        name: .customLong("param"), help: ArgumentHelp("Detector parameter key=value; repeatable.", valueName: "k=v"))
    var params: [String] = []

    @Option(
        help: ArgumentHelp(
            "Most predictions kept waiting for their label (older ones are forgotten).", valueName: "n"))
    var pendingLabels = MonitorSettings.defaultPendingLabels

    @Option(help: ArgumentHelp("Alert rules YAML (default: the built-in rules).", valueName: "file"))
    var rules: String?

    @Option(help: ArgumentHelp("POST each alert here (Alertmanager webhook JSON).", valueName: "url"))
    var webhook: String?

    @Option(
        help: ArgumentHelp("Serve the window metrics as Prometheus gauges on this port (/metrics).", valueName: "port"))
    var metricsPort: Int?

    @Option(help: ArgumentHelp("Interface for --metrics-port.", valueName: "host"))
    var metricsHost = "127.0.0.1"

    @Flag(help: "Keep watching the folder for new records (stop with Ctrl-C).")
    var follow = false

    @Flag(help: "Do not log windows and alerts as runs (no tracking server needed).")
    var noLog = false

    @OptionGroup var client: ClientOptions

    func validate() throws {
        guard modelURI != nil else { throw ValidationError("Give the MODEL_URI to watch (models:/NAME/VERSION).") }
        guard let predictionLog else { throw ValidationError("Give --prediction-log DIR.") }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: predictionLog, isDirectory: &isDir), isDir.boolValue else {
            throw ValidationError("No prediction log folder at \(predictionLog).")
        }
        do {
            _ = try WindowSpec(parsing: window)
        } catch {
            throw ValidationError(error.description)
        }
        for file in [reference, validationOutputs].compactMap({ $0 })
        where !FileManager.default.fileExists(atPath: file) {
            throw ValidationError("No such file: \(file)")
        }
        if outputColumn != nil && validationOutputs == nil {
            throw ValidationError("--output-column needs --validation-outputs FILE.")
        }
        if let test, !ProfileDrift.supportedTests.contains(where: { $0.rawValue == test }) {
            throw ValidationError(
                "--test \(test): use one of \(ProfileDrift.supportedTests.map(\.rawValue).sorted().joined(separator: ", "))."
            )
        }
        guard pendingLabels >= 1 else { throw ValidationError("--pending-labels must be 1 or more.") }
        if let metricsPort, !(0...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be 0-65535.")
        }
        _ = try settings(reference: nil)
    }

    func settings(reference: DatasetProfile?) throws -> MonitorSettings {
        var parameters: [String: String] = [:]
        for p in params {
            let parts = p.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--param \(p): expected key=value.")
            }
            parameters[parts[0]] = parts[1]
        }
        let settings = MonitorSettings(
            window: try WindowSpec(parsing: window), reference: reference, test: test.flatMap(DriftTestKind.init),
            threshold: threshold, detector: detector, detectorParameters: parameters,
            pendingLabelCapacity: pendingLabels)
        do {
            _ = try PredictionMonitor(settings: settings)
        } catch {
            throw ValidationError(error.description)
        }
        return settings
    }

    func run() async throws {
        do {
            try await monitor()
        } catch let e as MonitorError {
            throw CLIError(e.description)
        } catch let e as InputError {
            throw CLIError(e.description)
        } catch let e as DriftError {
            throw CLIError(e.description)
        } catch let e as MlflowError {
            throw CLIError(e.message)
        }
    }

    func monitor() async throws {
        let uri = modelURI!
        let tracking = try client.client()
        let note = { (s: String) in FileHandle.standardError.write(Data((s + "\n").utf8)) }
        var model: MonitoredModel
        if noLog, let parsed = try? ModelURI(parsing: uri), case .version(let name, let version) = parsed {
            model = MonitoredModel(name: name, version: String(version), runId: nil)
        } else {
            model = try await ReferenceLocator.model(uri, client: tracking)
        }
        let (profile, source) = try await ReferenceLocator.reference(
            file: reference, categorical: Set(DriftCommand.list(categorical) ?? []), model: model,
            client: noLog ? nil : tracking)
        note("reference: " + source)
        let ruleSet = try rules.map { try AlertRuleFile.read(path: $0) } ?? AlertRule.defaults
        var settings = try settings(reference: profile)
        if let validationOutputs {
            let (outputs, source) = try ReferenceLocator.outputReference(file: validationOutputs, column: outputColumn)
            note("prediction reference: " + source)
            settings.outputReference = outputs
        }
        settings.model = model.name
        settings.version = model.version
        var options = MonitorLoop.Options(directory: predictionLog!, settings: settings, rules: ruleSet, model: model)
        options.follow = follow
        options.trackingUri = client.resolvedUri
        let logger = noLog ? nil : try await MonitorRunLogger(client: tracking, model: model)
        let hook = try webhook.map { try WebhookNotifier(url: $0, externalURL: client.resolvedUri) }
        let metrics = metricsPort.map { _ in MonitorMetrics() }
        let json = client.json
        let loop = MonitorLoop(options: options, logger: logger, webhook: hook, metrics: metrics) { event in
            Self.print(event, json: json)
        }
        note("watching \(model.name)/\(model.version) in \(predictionLog!), windows of \(settings.window)")
        let summary: MonitorLoop.Summary
        if let metrics, let metricsPort {
            summary = try await MonitorMetricsServer.serving(
                metrics, host: metricsHost, port: metricsPort, untilSignal: follow
            ) {
                try await loop.run()
            }
        } else {
            summary = try await loop.run()
        }
        var line = "\(summary.windows) windows, \(summary.predictions) predictions, \(summary.alerts) alerts"
        if summary.leftover > 0 { line += "; \(summary.leftover) predictions in a last partial window not reported" }
        if summary.otherRecords > 0 { line += "; \(summary.otherRecords) records of other models/versions skipped" }
        if summary.unreadableLines > 0 { line += "; \(summary.unreadableLines) unreadable lines" }
        if summary.unmatchedLabels > 0 { line += "; \(summary.unmatchedLabels) labels without a prediction" }
        note(line)
    }

    static func print(_ event: MonitorLoop.Event, json: Bool) {
        var w = JSONWriter(capacity: 256)
        switch event {
        case .window(let r, let runId):
            if json {
                w.object { w in
                    w.field("event", "window")
                    w.field("window", Int64(r.index))
                    w.field("run_id", runId)
                    for (k, v) in r.metrics { w.field(k, v) }
                }
                printJSON(w.bytes)
                return
            }
            let drift = r.drift.map { "drift \($0.driftedColumns)/\($0.columnCount)" } ?? "reference"
            let accuracy = r.accuracy.map { String(format: " accuracy %.3f", $0) } ?? ""
            Swift.print(
                "window \(r.index)  \(RFC3339.format(millis: r.startMillis))  \(r.predictions) predictions  \(drift)"
                    + String(format: "  p99 %.1f ms  errors %.1f%%", r.latencyP99, r.errorRate * 100) + accuracy
                    + (r.conceptDrift.isEmpty ? "" : "  concept drift ×\(r.conceptDrift.count)"))
        case .alert(let e, let runId, let delivery):
            if json {
                w.object { w in
                    w.field("event", "alert")
                    w.field("alert", e.rule.name)
                    w.field("severity", e.rule.severity.rawValue)
                    w.field("window", Int64(e.window))
                    w.field("value", e.value)
                    w.field("run_id", runId)
                    w.field("webhook", delivery.map { "\($0)" })
                }
                printJSON(w.bytes)
                return
            }
            Swift.print("ALERT \(e.message)" + (delivery.map { "  webhook: \($0)" } ?? ""))
        case .command(let e, let status, let error):
            let text = status.map { "exit \($0)" } ?? "could not start: \(error ?? "")"
            FileHandle.standardError.write(Data("on_fire of \(e.rule.name): \(text)\n".utf8))
        }
    }
}
