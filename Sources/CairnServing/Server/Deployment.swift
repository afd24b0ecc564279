import CairnCore
import CairnServingCore
import Foundation
import Logging
import Synchronization

/// The models a scoring server answers with and how traffic is split between them: a primary, an
/// optional canary taking a share of traffic (rolled back automatically when it breaks its limits),
/// and an optional shadow that sees a copy of every primary request and never answers callers.
///
/// ```swift
/// let deployment = Deployment(primary: slot, metrics: metrics, log: log, logger: logger)
/// let answer = await deployment.answer(request, routingKey: "user-42", requestId: "r-1")
/// ```
public final class Deployment: Sendable {
    struct Routing {
        var primary: ModelSlot
        var canary: ModelSlot?
        var split: CanarySplit
        var shadow: ModelSlot?
    }

    /// What came back for one request.
    public struct Answer: Sendable {
        /// The slot that answered.
        public var slot: ModelSlot
        public var result: Result<Predictions, ScoringError>
        public var latencyMillis: Double
    }

    private let routing: Mutex<Routing>
    private let rollback: Mutex<RollbackGuard?>
    private let metrics: ServingMetrics
    private let log: PredictionLog?
    private let logger: Logger
    private let mirror: AsyncStream<MirrorJob>.Continuation
    private let mirrorJobs: AsyncStream<MirrorJob>
    private let mirrorConcurrency: Int
    private let started = ContinuousClock.now

    struct MirrorJob: Sendable {
        var request: ScoringRequest
        var requestId: String
        var slot: ModelSlot
    }

    /// Creates a deployment.
    public init(
        primary: ModelSlot, canary: ModelSlot? = nil, canaryPercent: Double = 0,
        rollbackLimits: RollbackGuard.Limits? = nil,
        shadow: ModelSlot? = nil, shadowQueue: Int = 1000, shadowConcurrency: Int = 4, metrics: ServingMetrics,
        log: PredictionLog?, logger: Logger
    ) {
        routing = Mutex(
            Routing(
                primary: primary, canary: canary, split: CanarySplit(percent: canary == nil ? 0 : canaryPercent),
                shadow: shadow))
        rollback = Mutex(rollbackLimits.flatMap { $0.isActive && canary != nil ? RollbackGuard(limits: $0) : nil })
        self.metrics = metrics
        self.log = log
        self.logger = logger
        (mirrorJobs, mirror) = AsyncStream.makeStream(
            of: MirrorJob.self, bufferingPolicy: .bufferingOldest(shadowQueue))
        mirrorConcurrency = shadowConcurrency
        metrics.canaryPercent(canary == nil ? 0 : canaryPercent)
    }

    /// The primary slot now.
    public var primary: ModelSlot { routing.withLock { $0.primary } }
    /// The canary slot, if any.
    public var canary: ModelSlot? { routing.withLock { $0.canary } }
    /// The shadow slot, if any.
    public var shadow: ModelSlot? { routing.withLock { $0.shadow } }
    /// The canary's current share of traffic in percent.
    public var canaryPercent: Double { routing.withLock { $0.canary == nil ? 0 : $0.split.percent } }

    /// Every answering slot (primary, canary).
    public var slots: [ModelSlot] { routing.withLock { [$0.primary] + ($0.canary.map { [$0] } ?? []) } }

    /// Answers a request: picks the slot (or the slot serving `version`, when pinned), checks the
    /// input against its signature, predicts, records metrics and the prediction log, feeds the
    /// canary's roll-back guard, and mirrors primary traffic to the shadow.
    public func answer(
        _ request: ScoringRequest, routingKey: String?, requestId: String, pinnedVersion: String? = nil
    ) async -> Answer {
        let (chosen, shadow): (ModelSlot?, ModelSlot?) = routing.withLock { r in
            let slot: ModelSlot?
            if let pinnedVersion {
                slot = [r.primary, r.canary].compactMap { $0 }.first { $0.model.version == pinnedVersion }
            } else if let canary = r.canary, r.split.routesToCanary(key: routingKey) {
                slot = canary
            } else {
                slot = r.primary
            }
            slot?.inFlight.add(1, ordering: .relaxed)
            return (slot, r.shadow)
        }
        guard let slot = chosen else {
            let p = primary
            return Answer(
                slot: p,
                result: .failure(
                    ScoringError(
                        status: 404, code: "RESOURCE_DOES_NOT_EXIST",
                        "Version \(pinnedVersion ?? "") of \(p.model.name) is not being served.")),
                latencyMillis: 0)
        }
        defer { slot.inFlight.subtract(1, ordering: .relaxed) }
        let answer = await predict(request, on: slot, requestId: requestId)
        if slot.role == .canary { watchCanary(answer) }
        if slot.role == .primary, let shadow {
            if case .dropped = mirror.yield(MirrorJob(request: request, requestId: requestId, slot: shadow)) {
                metrics.shadowDrop()
            }
        }
        return answer
    }

    /// Runs one prediction on a slot with metrics and logging.
    func predict(_ request: ScoringRequest, on slot: ModelSlot, requestId: String) async -> Answer {
        metrics.inFlightChanged(by: 1)
        defer { metrics.inFlightChanged(by: -1) }
        let start = ContinuousClock.now
        let result: Result<Predictions, ScoringError>
        do {
            if case .frame(let frame) = request.input { try slot.runtime.signature.check(frame) }
            result = .success(try await slot.runtime.predict(request))
        } catch let error as ScoringError {
            result = .failure(error)
        } catch {
            result = .failure(.unavailable("\(error)"))
        }
        let elapsed = (ContinuousClock.now - start).seconds
        let status = (try? result.get()) != nil ? 200 : (result.failureValue?.status ?? 500)
        metrics.request(
            model: slot.model.name, version: slot.model.version, role: slot.role, status: status, seconds: elapsed)
        let answer = Answer(slot: slot, result: result, latencyMillis: elapsed * 1000)
        record(request, answer, requestId: requestId)
        return answer
    }

    /// Writes one record per row to the prediction log.
    private func record(_ request: ScoringRequest, _ answer: Answer, requestId: String) {
        guard let log else { return }
        let millis = WallClock.nowMillis()
        let status = answer.result.failureValue?.status ?? 200
        let outputs = (try? answer.result.get())?.rows(expected: request.input.rowCount)
        var w = JSONWriter(capacity: 512)
        var count = 0
        let slot = answer.slot
        switch request.input {
        case .frame(let frame):
            for i in 0..<frame.count {
                PredictionRecord(
                    timestampMillis: millis, requestId: requestId, model: slot.model.name, version: slot.model.version,
                    role: slot.role, row: i, inputs: Array(zip(frame.columns, frame.rows[i])), output: outputs?[i],
                    latencyMillis: answer.latencyMillis, status: status
                ).write(&w)
                count += 1
            }
        case .tensor(let format, let value):
            PredictionRecord(
                timestampMillis: millis, requestId: requestId, model: slot.model.name, version: slot.model.version,
                role: slot.role, row: 0, inputs: [(format, value)], output: (try? answer.result.get())?.value,
                latencyMillis: answer.latencyMillis, status: status
            ).write(&w)
            count = 1
        }
        log.append(w.bytes, records: count, millis: millis)
    }

    /// Appends ground-truth labels to the prediction log; false when the deployment has no log.
    public func recordLabels(_ labels: [LabelRecord]) -> Bool {
        guard let log else { return false }
        var w = JSONWriter(capacity: 64 * labels.count)
        for label in labels { label.write(&w) }
        log.append(w.bytes, records: labels.count, millis: WallClock.nowMillis())
        return true
    }

    private func watchCanary(_ answer: Answer) {
        let now = (ContinuousClock.now - started).seconds
        let status = answer.result.failureValue?.status ?? 200
        let breach = rollback.withLock { g -> RollbackGuard.Breach? in
            g?.record(time: now, status: status, millis: answer.latencyMillis)
            return g?.evaluate(now: now)
        }
        guard let breach else { return }
        let rolledBack = routing.withLock { r -> Bool in
            guard r.split.percent > 0 else { return false }
            r.split = CanarySplit(percent: 0)
            return true
        }
        if rolledBack {
            logger.error("Canary \(answer.slot.label) rolled back: \(breach). All traffic goes to the primary.")
            metrics.rollback()
            metrics.canaryPercent(0)
        }
    }

    /// Serves `slot` as the primary from now on; the previous primary finishes its requests and is shut down.
    public func switchPrimary(to slot: ModelSlot) async {
        let old = routing.withLock { r -> ModelSlot in
            let old = r.primary
            r.primary = slot
            return old
        }
        metrics.switched()
        metrics.setServing(model: old.model.name, version: old.model.version, role: .primary, false)
        logger.info("Now serving \(slot.label) as primary; \(old.label) is draining")
        await old.drainAndShutdown()
        logger.info("\(old.label) drained and stopped")
    }

    /// Mirrors primary requests to the shadow until ``shutdown()``; run it in a task.
    public func runMirror() async {
        let limit = mirrorConcurrency
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for await job in mirrorJobs {
                if running >= limit {
                    await group.next()
                    running -= 1
                }
                group.addTask { [self] in
                    job.slot.inFlight.add(1, ordering: .relaxed)
                    _ = await self.predict(job.request, on: job.slot, requestId: job.requestId)
                    job.slot.inFlight.subtract(1, ordering: .relaxed)
                }
                running += 1
            }
        }
    }

    /// Stops mirroring and shuts every model down (after their requests finish).
    public func shutdown() async {
        mirror.finish()
        let all = routing.withLock { [$0.primary] + [$0.canary, $0.shadow].compactMap { $0 } }
        for slot in all { await slot.drainAndShutdown() }
        await log?.close()
    }
}

extension Result {
    var failureValue: Failure? {
        if case .failure(let f) = self { return f }
        return nil
    }
}
