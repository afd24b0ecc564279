import CairnClient
import CairnCore
import CairnServiceKit
import CairnServingCore
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// `cairn serve` as a library: resolves and loads the models, builds the deployment and its routes,
/// serves until SIGINT/SIGTERM, then drains in-flight requests and stops the workers.
public enum ScoringServer {
    /// Everything a scoring server is set up from.
    public struct Options: Sendable {
        public var modelURI: String
        public var canaryURI: String?
        public var canaryPercent: Double = 10
        public var rollback = RollbackGuard.Limits(maxErrorRate: nil, maxP99Millis: nil)
        public var shadowURI: String?
        public var pollInterval: Duration = .seconds(5)
        public var predictionLog: String?
        public var predictionLogMaxBytes = 256 << 20
        public var environment: PythonEnvironment = .local(python: "python3")
        public var runtime = PythonRuntime.Options()
        /// Native runtime, Python workers, or native when the flavor allows it.
        public var runtimeChoice = RuntimeChoice.auto
        public var service: ServiceConfiguration
        public var cache = ModelFetcher.defaultCache
        /// The tokens every endpoint but the probes and `/metrics` requires; nil leaves them open.
        public var tokens: AccessTokens?
        /// Makes the observer that watches the prediction log in process (needs `predictionLog`), given the
        /// primary model and the registry `/metrics` renders.
        public var monitor:
            (@Sendable (FetchedModel, PrometheusCollectorRegistry) async throws -> any PredictionLogObserver)?
        public var version: String

        public init(modelURI: String, service: ServiceConfiguration, version: String) {
            self.modelURI = modelURI
            self.service = service
            self.version = version
        }
    }

    /// Serves until shut down. `onReady` is called with the bound port once every model is loaded
    /// and the server listens.
    public static func run(
        _ options: Options, client: TrackingClient?, logger: Logger,
        onReady: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        signal(SIGPIPE, SIG_IGN)
        try options.service.checkPortIsFree()
        let metrics = ServingMetrics()
        let fetcher = ModelFetcher(client: client, cache: options.cache)
        let loader = ModelLoader(
            choice: options.runtimeChoice, environment: options.environment, python: options.runtime, logger: logger,
            events: WorkerEvents(
                batch: { label, rows, requests in metrics.batch(label: label, rows: rows, requests: requests) },
                restart: { label, _ in metrics.workerRestart(label: label) }))
        let load: @Sendable (FetchedModel) async throws -> any LoadedModel = { model in
            try await loader.load(model) { logger.info("\($0)") }
        }
        func slot(_ uri: String, role: PredictionRecord.Role) async throws -> ModelSlot {
            let fetched = try await fetcher.fetch(uri) { logger.info("\($0)") }
            let loaded = try await load(fetched)
            metrics.loaded(model: fetched.name, version: fetched.version, role: role, seconds: loaded.loadSeconds)
            logger.info(
                "\(role.rawValue.capitalized) \(fetched.label) loaded in \(String(format: "%.2f", loaded.loadSeconds)) s"
            )
            return ModelSlot(model: fetched, runtime: loaded, role: role)
        }
        let primary = try await slot(options.modelURI, role: .primary)
        var loadedSlots = [primary]
        let canary: ModelSlot?
        let shadow: ModelSlot?
        do {
            canary = try await options.canaryURI.asyncMap { try await slot($0, role: .canary) }
            if let canary { loadedSlots.append(canary) }
            shadow = try await options.shadowURI.asyncMap { try await slot($0, role: .shadow) }
        } catch {
            for s in loadedSlots { await s.runtime.shutdown() }
            throw error
        }
        let observer: (any PredictionLogObserver)?
        do {
            observer = try await options.monitor?(primary.model, metrics.registry)
        } catch {
            for s in loadedSlots + [shadow].compactMap({ $0 }) { await s.runtime.shutdown() }
            throw error
        }
        let log: PredictionLog?
        do {
            log = try options.predictionLog.map {
                try PredictionLog(directory: $0, maxFileBytes: options.predictionLogMaxBytes, observer: observer) {
                    metrics.logDrop($0)
                }
            }
        } catch {
            throw MlflowError.invalid(
                "Cannot use '\(options.predictionLog ?? "")' as the prediction log folder: \(error)")
        }
        let deployment = Deployment(
            primary: primary, canary: canary, canaryPercent: options.canaryPercent, rollbackLimits: options.rollback,
            shadow: shadow, metrics: metrics, log: log, logger: logger)
        let router = Router()
        router.add(middleware: ServiceErrorMiddleware { status, message in PlainError(status, message) })
        router.requireTokens(options.tokens, openPaths: ScoringRoutes.openPaths) { _, message in
            MlflowError(.unauthenticated, message)
        }
        ScoringRoutes(
            deployment: deployment, metrics: metrics, maxBodyBytes: options.service.maxBodyBytes,
            version: options.version
        ).register(on: router)
        var services: [any Service] = []
        if case .alias(let name, let alias) = try? ModelURI(parsing: options.modelURI) {
            services.append(
                AliasWatcher(
                    name: name, alias: alias, interval: options.pollInterval, fetcher: fetcher, load: load,
                    deployment: deployment, metrics: metrics, logger: logger))
        }
        let app = makeServiceApplication(
            router: router, configuration: options.service, serverName: "cairn-serve",
            errorShape: { status, message in
                MlflowError(status.code == 404 ? .endpointNotFound : .badRequest, message).with(status: status)
            }, services: services,
            logger: logger, onServerRunning: onReady)
        let mirror = Task { await deployment.runMirror() }
        let clock = Task {
            guard let observer else { return }
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                observer.tick(nowMillis: WallClock.nowMillis())
            }
        }
        do {
            try await runService(app, host: options.service.host, port: options.service.port)
        } catch {
            clock.cancel()
            await deployment.shutdown()
            await mirror.value
            throw error
        }
        logger.info("Stopping: finishing in-flight requests")
        clock.cancel()
        await deployment.shutdown()
        await mirror.value
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
