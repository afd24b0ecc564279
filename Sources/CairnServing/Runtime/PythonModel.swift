import CairnCore
import CairnServingCore
import Foundation
import Logging
import Synchronization

/// A model loaded in a pool of Python workers, each driven by its own thread.
final class PythonModel: LoadedModel {
    let signature: ModelSignature
    let details: [(String, String)]
    let loadSeconds: Double
    private let queue = BlockingQueue<PendingPrediction>()
    private let options: PythonRuntime.Options
    private let launch: WorkerLaunch
    private let logger: Logger
    private let events: WorkerEvents
    private let finished = Mutex(0)
    /// Requests a worker is answering now (the sweeper answers those past their deadline).
    private let active = Mutex<[ObjectIdentifier: PendingPrediction]>([:])
    private let threads: Int

    /// Starts every worker at once and waits until each has loaded the model.
    init(launch: WorkerLaunch, options: PythonRuntime.Options, logger: Logger, events: WorkerEvents) throws {
        self.options = options
        self.launch = launch
        self.logger = logger
        self.events = events
        let started = ContinuousClock.now
        var launched: [WorkerProcess] = []
        do {
            for _ in 0..<max(1, options.workers) { launched.append(try Self.spawn(launch)) }
        } catch {
            for p in launched { p.kill() }
            throw error
        }
        var loaded: [(process: WorkerProcess, info: JSONValue)] = []
        for (i, process) in launched.enumerated() {
            do {
                loaded.append((process, try Self.awaitHello(process, launch, timeout: options.loadTimeout)))
            } catch {
                for p in launched[i...] { p.kill() }
                for p in loaded { p.process.kill() }
                throw error
            }
        }
        let first = loaded[0]
        let info = first.info
        signature = ModelSignature(inputs: info["inputs"], outputs: info["outputs"])
        var details: [(String, String)] = [("runtime", "python")]
        if let flavors = info["flavors"]?.arrayValue {
            details.append(("flavors", flavors.compactMap(\.text).joined(separator: ",")))
        }
        if let v = info["python_version"]?.text { details.append(("python_version", v)) }
        if let v = info["mlflow_version"]?.text { details.append(("mlflow_version", v)) }
        self.details = details
        let workers = loaded.map(\.process)
        loadSeconds = (ContinuousClock.now - started).seconds
        threads = workers.count
        Task { [self] in await self.sweepExpired() }
        for (index, worker) in workers.enumerated() {
            let thread = Thread { [self] in self.serve(worker: worker, index: index) }
            thread.name = "cairn-worker-\(index)"
            thread.start()
        }
    }

    func predict(_ request: ScoringRequest) async throws -> Predictions {
        let deadline = ContinuousClock.now + options.timeout
        return try await withCheckedThrowingContinuation { continuation in
            let pending = PendingPrediction(request: request, deadline: deadline, continuation: continuation)
            if !queue.push(pending) {
                pending.resume(.failure(ScoringError.unavailable("The model is shutting down.")))
            }
        }
    }

    /// Answers requests past their deadline with 504, every 50 ms, until the queue closes: those still
    /// queued, and those a worker is answering (its late answer is then dropped; a worker is replaced
    /// only when one call takes longer than the whole timeout).
    private func sweepExpired() async {
        let timeout = options.timeout
        while !queue.isClosed {
            try? await Task.sleep(for: .milliseconds(50))
            let now = ContinuousClock.now
            var expired = queue.remove(where: { $0.deadline <= now || $0.isAnswered })
            expired += active.withLock { a in a.values.filter { $0.deadline <= now } }
            for p in expired {
                p.resume(.failure(ScoringError.timeout(seconds: timeout.seconds)))
            }
        }
    }

    func shutdown() async {
        queue.close()
        let threads = threads
        while finished.withLock({ $0 }) < threads { try? await Task.sleep(for: .milliseconds(20)) }
    }

    // MARK: Worker threads

    private static func spawn(_ launch: WorkerLaunch) throws -> WorkerProcess {
        do {
            return try launch.start()
        } catch {
            throw ScoringError.unavailable("Cannot start '\(launch.python)': \(error.localizedDescription)")
        }
    }

    /// Waits for a worker's load result; kills it and throws when loading failed.
    private static func awaitHello(_ process: WorkerProcess, _ launch: WorkerLaunch, timeout: Duration) throws
        -> JSONValue
    {
        let hello: JSONValue
        do {
            hello = try process.readHello(timeout: timeout)
        } catch {
            process.kill()
            throw ScoringError.unavailable("The model worker for \(launch.label) failed to start: \(error).")
        }
        guard hello["ok"] == .bool(true), let info = hello["info"] else {
            process.kill()
            let message = hello["message"]?.text ?? "no reason given"
            throw ScoringError.unavailable("Cannot load \(launch.label) from \(launch.folder): \(message)")
        }
        return info
    }

    private static func startWorker(_ launch: WorkerLaunch, timeout: Duration) throws -> WorkerProcess {
        let process = try spawn(launch)
        _ = try awaitHello(process, launch, timeout: timeout)
        return process
    }

    private func serve(worker initial: WorkerProcess, index: Int) {
        var worker: WorkerProcess? = initial
        defer {
            worker?.stop()
            finished.withLock { $0 += 1 }
        }
        let maxRows = options.maxBatchRows
        let linger = options.maxBatchWait.seconds
        while let batch = queue.wait(
            linger: linger, enough: { waiting in waiting.reduce(0) { $0 + $1.rows } >= maxRows },
            take: { waiting in Self.takeBatch(&waiting, maxRows: maxRows) })
        {
            let live = batch.filter { !$0.isAnswered }
            if live.isEmpty { continue }
            if worker == nil {
                do {
                    worker = try Self.startWorker(launch, timeout: options.loadTimeout)
                } catch {
                    logger.error("Worker \(index) of \(launch.label) could not restart: \(error)")
                    for p in live { p.resume(.failure(error)) }
                    Thread.sleep(forTimeInterval: 1)
                    continue
                }
            }
            run(live, on: &worker, index: index)
        }
    }

    /// Runs a batch; when the combined call fails or its answer is not one entry per row, runs each
    /// request on its own so one bad request cannot fail the others.
    private func run(_ batch: [PendingPrediction], on worker: inout WorkerProcess?, index: Int) {
        guard let process = worker else {
            for p in batch { p.resume(.failure(ScoringError.unavailable("No model worker is running."))) }
            return
        }
        let counts = batch.map(\.rows)
        events.batch(launch.label, counts.reduce(0, +), batch.count)
        let payload = WorkerPayload(batch.map(\.request), doubleColumns: signature.doubleColumns)
        let answer: JSONValue
        do {
            active.withLock { a in for p in batch { a[ObjectIdentifier(p)] = p } }
            defer { active.withLock { a in for p in batch { a[ObjectIdentifier(p)] = nil } } }
            answer = try process.call(payload, deadline: ContinuousClock.now + options.timeout)
        } catch {
            let reason: String
            let failure: ScoringError
            switch error {
            case .timedOut:
                reason = "did not answer within \(formatDuration(options.timeout))"
                failure = .timeout(seconds: options.timeout.seconds)
            default:
                reason = "\(error)"
                failure = .unavailable("The model worker failed while predicting: \(error). It is being replaced.")
            }
            logger.warning("Worker \(index) of \(launch.label) (pid \(process.pid)) \(reason); replacing it")
            process.kill()
            worker = nil
            events.restart(launch.label, reason)
            for p in batch { p.resume(.failure(failure)) }
            return
        }
        if answer["ok"] == .bool(true), let value = answer["predictions"] {
            let predictions = Predictions(value)
            if batch.count == 1 {
                batch[0].resume(.success(predictions))
                return
            }
            if let parts = predictions.split(counts: counts) {
                for (p, part) in zip(batch, parts) { p.resume(.success(part)) }
                return
            }
        } else if batch.count == 1 {
            let status = Int(answer["status"]?.int64 ?? 500)
            let code = answer["error_code"]?.text ?? "INTERNAL_ERROR"
            let message = answer["message"]?.text ?? "The model failed without a message."
            if status >= 500, let trace = answer["trace"]?.text {
                logger.error("\(launch.label) failed: \(message)\n\(trace)")
            }
            batch[0].resume(.failure(ScoringError(status: status, code: code, message)))
            return
        }
        for p in batch where !p.isAnswered { run([p], on: &worker, index: index) }
    }

    /// Takes the first waiting request and every later one that can share its call, up to `maxRows`.
    static func takeBatch(_ waiting: inout [PendingPrediction], maxRows: Int) -> [PendingPrediction] {
        waiting.removeAll { $0.isAnswered }
        guard !waiting.isEmpty else { return [] }
        let first = waiting.removeFirst()
        guard let key = first.key else { return [first] }
        var batch = [first]
        var rows = first.rows
        var kept: [PendingPrediction] = []
        kept.reserveCapacity(waiting.count)
        for p in waiting {
            if rows < maxRows, p.key == key, rows + p.rows <= maxRows {
                batch.append(p)
                rows += p.rows
            } else {
                kept.append(p)
            }
        }
        waiting = kept
        return batch
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

func formatDuration(_ d: Duration) -> String {
    let s = d.seconds
    return s == s.rounded() ? "\(Int(s)) s" : "\(s) s"
}
