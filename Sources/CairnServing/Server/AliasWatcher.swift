import CairnServingCore
import Logging
import ServiceLifecycle

/// Blue/green by alias: polls the registry for the version an alias points at; when it moves, loads
/// and warms the new version beside the serving one, switches traffic to it atomically, and lets the
/// old one drain. Failures to load leave the current version serving.
public struct AliasWatcher: Service {
    let name: String
    let alias: String
    let interval: Duration
    let fetcher: ModelFetcher
    let load: @Sendable (FetchedModel) async throws -> any LoadedModel
    let deployment: Deployment
    let metrics: ServingMetrics
    let logger: Logger

    public init(
        name: String, alias: String, interval: Duration, fetcher: ModelFetcher,
        load: @escaping @Sendable (FetchedModel) async throws -> any LoadedModel, deployment: Deployment,
        metrics: ServingMetrics, logger: Logger
    ) {
        self.name = name
        self.alias = alias
        self.interval = interval
        self.fetcher = fetcher
        self.load = load
        self.deployment = deployment
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                await check()
            }
        }
    }

    /// Looks at the alias once and switches when it moved.
    func check() async {
        let current = deployment.primary.model.version
        let target: Int64
        do {
            target = try await fetcher.aliasVersion(name: name, alias: alias)
        } catch {
            logger.warning("Cannot read alias \(name)@\(alias): \(error); still serving version \(current)")
            return
        }
        guard String(target) != current else { return }
        logger.info("Alias \(name)@\(alias) moved from version \(current) to \(target); loading it")
        do {
            let fetched = try await fetcher.fetch("models:/\(name)/\(target)")
            let runtime = try await load(fetched)
            if let example = ServingExample.load(folder: fetched.folder) {
                _ = try? await runtime.predict(example)
            }
            metrics.loaded(model: fetched.name, version: fetched.version, role: .primary, seconds: runtime.loadSeconds)
            await deployment.switchPrimary(to: ModelSlot(model: fetched, runtime: runtime, role: .primary))
        } catch {
            logger.error("Cannot switch to \(name) version \(target): \(error); still serving version \(current)")
        }
    }
}
