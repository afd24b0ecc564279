import ArgumentParser
import CairnClient
import CairnCore
import CairnMonitor
import CairnMonitorLoop
import CairnServer
import CairnServiceKit
import CairnServing
import CairnServingCore
import Foundation
import Logging
import Prometheus

/// `cairn serve MODEL_URI`: serves a model over MLflow's scoring protocol and the Open Inference Protocol.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a model from the registry as a microservice (MLflow scoring and Open Inference protocols).",
        discussion: """
            MODEL_URI is models:/NAME@ALIAS, models:/NAME/VERSION, models:/NAME/STAGE, models:/m-<id>, \
            runs:/<run_id>/<path>, or a local model folder. The model's files are downloaded once into the \
            cache; the server reports ready only after the model is loaded.

            Endpoints: POST /invocations (dataframe_split, dataframe_records, instances, inputs, text/csv), \
            GET /ping, /health, /version; Open Inference v2 under /v2 (health, model metadata, infer); \
            GET /metrics (Prometheus). Every answer carries a Cairn-Model: NAME/VERSION header. With \
            --auth-token-file every endpoint but /ping, /health, /v2/health/live, /v2/health/ready and /metrics \
            needs 'Authorization: Bearer TOKEN'.

            Rollouts: --shadow mirrors every request to a second model whose answers are only logged; \
            --canary sends --canary-percent of traffic to a candidate (sticky per Cairn-Routing-Key header) \
            and takes it out of traffic when it breaks --max-error-rate or --max-p99-ms; serving an alias \
            (models:/NAME@ALIAS) switches blue/green to the new version when the alias moves.

            Examples:
              cairn serve models:/churn@champion
              cairn serve models:/churn/3 --port 9000 --workers 2 --prediction-log ./predictions
              cairn serve models:/churn@champion --canary models:/churn/4 --canary-percent 10 --max-error-rate 0.05
              cairn serve models:/churn@champion --shadow models:/churn@challenger --prediction-log ./predictions
              cairn serve models:/churn/3 --prediction-log ./predictions --monitor-window 1000
              cairn serve models:/churn@champion --auth-token-file ./tokens
              curl -s localhost:8080/invocations -H 'Content-Type: application/json' \\
                -d '{"dataframe_split": {"columns": ["x1", "x2"], "data": [[1.0, 2.0]]}}'
            """)

    enum Defaults: ServiceDefaults, BodyLimitDefaults {
        static let port = 8080
        static let maxBodyMB = 64
    }

    @Argument(help: "The model to serve.")
    var modelURI: String

    @OptionGroup var service: ServiceOptions<Defaults>

    @OptionGroup var body: BodyLimitOption<Defaults>

    @OptionGroup var auth: AuthTokenOption

    @OptionGroup var model: ModelRuntimeOptions

    @OptionGroup var tracking: TrackingURIOption

    @Option(help: ArgumentHelp("A candidate model that answers --canary-percent of traffic.", valueName: "uri"))
    var canary: String?

    @Option(help: ArgumentHelp("Share of traffic the canary answers, in percent.", valueName: "p"))
    var canaryPercent: Double = 10

    @Option(
        help: ArgumentHelp(
            "Roll the canary back when more than this share of its requests fail (0-1, over --rollback-window).",
            valueName: "rate"))
    var maxErrorRate: Double?

    @Option(
        name: .customLong("max-p99-ms"),
        help: ArgumentHelp("Roll the canary back when its p99 latency exceeds this many milliseconds.", valueName: "ms")
    )
    var maxP99Ms: Double?

    @Option(help: ArgumentHelp("Seconds of canary traffic the roll-back limits look at.", valueName: "seconds"))
    var rollbackWindow: Double = 60

    @Option(help: ArgumentHelp("Canary requests needed in the window before a roll-back can trigger.", valueName: "n"))
    var rollbackMinRequests: Int = 20

    @Option(
        help: ArgumentHelp("A model that sees a copy of every request; its answers are only logged.", valueName: "uri"))
    var shadow: String?

    @Option(help: ArgumentHelp("Seconds between checks of a served alias (blue/green).", valueName: "seconds"))
    var pollInterval: Double = 5

    @Option(
        help: ArgumentHelp(
            "Folder for the prediction log (JSON Lines, one record per predicted row, a file per UTC hour).",
            valueName: "dir"))
    var predictionLog: String?

    @Option(name: .customLong("prediction-log-max-mb"), help: "Start a new log file after this many MiB.")
    var predictionLogMaxMB: Int = 256

    @Option(
        help: ArgumentHelp(
            "Watch the prediction log in process, in windows of N predictions or a duration (30s, 15m, 1h), and "
                + "publish drift, health and alert gauges (cairn_monitor_*) on /metrics. Needs --prediction-log.",
            valueName: "n|duration"))
    var monitorWindow: String?

    @Option(
        help: ArgumentHelp(
            "Reference data (CSV, JSON Lines) or profile for --monitor-window (default: the profile stored with the "
                + "version's training run, else the first window).", valueName: "file"))
    var monitorReference: String?

    @Option(
        help: ArgumentHelp("Alert rules YAML for --monitor-window (default: the built-in rules).", valueName: "file"))
    var monitorRules: String?

    func validate() throws {
        try model.check(uri: modelURI)
        if let canary { try model.check(uri: canary) }
        if let shadow { try model.check(uri: shadow) }
        guard (0...100).contains(canaryPercent) else { throw ValidationError("--canary-percent must be 0-100.") }
        if let maxErrorRate, !(0...1).contains(maxErrorRate) {
            throw ValidationError("--max-error-rate is a share between 0 and 1 (0.05 is 5 %).")
        }
        if let maxP99Ms, maxP99Ms <= 0 { throw ValidationError("--max-p99-ms must be positive.") }
        if (maxErrorRate != nil || maxP99Ms != nil) && canary == nil {
            throw ValidationError("--max-error-rate and --max-p99-ms watch a canary; add --canary MODEL_URI.")
        }
        guard rollbackWindow > 0, rollbackMinRequests >= 1 else {
            throw ValidationError("--rollback-window must be positive and --rollback-min-requests at least 1.")
        }
        guard pollInterval >= 0.1 else { throw ValidationError("--poll-interval must be at least 0.1 seconds.") }
        guard predictionLogMaxMB >= 1 else { throw ValidationError("--prediction-log-max-mb must be at least 1.") }
        if let monitorWindow {
            guard predictionLog != nil else {
                throw ValidationError("--monitor-window reads the prediction log: add --prediction-log DIR.")
            }
            do { _ = try WindowSpec(parsing: monitorWindow) } catch { throw ValidationError(error.description) }
        } else if monitorReference != nil || monitorRules != nil {
            throw ValidationError("--monitor-reference and --monitor-rules need --monitor-window.")
        }
        for file in [monitorReference, monitorRules].compactMap({ $0 })
        where !FileManager.default.fileExists(atPath: file) {
            throw ValidationError("No such file: \(file)")
        }
    }

    /// The in-process monitor's factory, when --monitor-window asks for one.
    func monitorFactory(client: TrackingClient?, logger: Logger) throws
        -> (@Sendable (FetchedModel, PrometheusCollectorRegistry) async throws -> any PredictionLogObserver)?
    {
        guard let monitorWindow else { return nil }
        let window = try WindowSpec(parsing: monitorWindow)
        let rules = try monitorRules.map { try AlertRuleFile.read(path: $0) } ?? AlertRule.defaults
        let referenceFile = monitorReference
        return { fetched, registry in
            var model = MonitoredModel(name: fetched.name, version: fetched.version, runId: nil)
            if let client, let found = try? await ReferenceLocator.model("models:/\(fetched.label)", client: client) {
                model = found
            }
            let (profile, source) = try await ReferenceLocator.reference(
                file: referenceFile, categorical: [], model: model, client: client)
            logger.info(
                "Monitoring \(model.name)/\(model.version) in windows of \(monitorWindow); reference: \(source)")
            return try ServeMonitor(
                settings: MonitorSettings(window: window, reference: profile), rules: rules, model: model,
                registry: registry)
        }
    }

    func run() async throws {
        try await reportingErrors {
            let logger = service.logger(label: "cairn-serve")
            var options = ScoringServer.Options(
                modelURI: modelURI, service: service.configuration(body), version: cairnVersion)
            do { options.tokens = try auth.tokens(logger: logger) } catch { throw MlflowError.invalid("\(error)") }
            options.canaryURI = canary
            options.canaryPercent = canaryPercent
            options.rollback = .init(
                maxErrorRate: maxErrorRate, maxP99Millis: maxP99Ms, windowSeconds: rollbackWindow,
                minRequests: rollbackMinRequests)
            options.shadowURI = shadow
            options.pollInterval = .milliseconds(Int64(pollInterval * 1000))
            options.predictionLog = predictionLog
            options.predictionLogMaxBytes = predictionLogMaxMB << 20
            options.environment = model.environment
            options.runtime = model.runtimeOptions
            options.runtimeChoice = model.runtime
            options.cache = model.resolvedCache
            let client = try model.client(tracking: tracking, for: [modelURI, canary, shadow].compactMap { $0 })
            options.monitor = try monitorFactory(client: client, logger: logger)
            let host = service.host
            do {
                try await ScoringServer.run(options, client: client, logger: logger) { port in
                    logger.info(
                        "Cairn scoring server ready on http://\(host):\(port) (POST /invocations, /v2/models/…)")
                }
            } catch let error as ScoringError {
                throw MlflowError(.invalidParameterValue, error.message)
            }
            logger.info("Cairn scoring server stopped.")
        }
    }
}
