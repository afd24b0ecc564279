import CairnAudio
import CairnVAD
import Foundation
import Synchronization

/// How ``SpeechStreamer`` paces input and sends clips.
public struct StreamOptions: Sendable {
    /// Requests in flight at once.
    public var concurrency: Int
    /// Closed clips that may wait for a free request slot before reading pauses (backpressure).
    public var queueCapacity: Int
    /// Give up on a clip after this many seconds of failed attempts.
    public var retryTimeout: Double
    /// Read input no faster than real time divided by `speed` (for files standing in for live audio).
    public var realtime: Bool
    public var speed: Double

    public init(
        concurrency: Int = 2, queueCapacity: Int = 32, retryTimeout: Double = 120, realtime: Bool = false,
        speed: Double = 1
    ) {
        self.concurrency = concurrency
        self.queueCapacity = queueCapacity
        self.retryTimeout = retryTimeout
        self.realtime = realtime
        self.speed = speed
    }
}

/// What happened to one clip.
public struct ClipResult: Sendable {
    public var index: Int
    public var start: Double
    public var end: Double
    public var duration: Double
    public var loudnessDBFS: Double
    public var snrDB: Double
    /// The transcript, or nil if the clip could not be recognised.
    public var text: String?
    /// Why recognition failed, when it did.
    public var error: String?
    /// Seconds from the clip closing to its transcript arriving (or to giving up).
    public var latency: Double
    public var attempts: Int

    /// Number of words in the transcript.
    public var words: Int { text?.split(separator: " ").count ?? 0 }
}

/// Totals over a stream.
public struct StreamSummary: Sendable {
    public var clips: Int
    public var audioSeconds: Double
    public var forwardedSeconds: Double
    public var empty: Int
    public var failed: Int
    public var meanLatency: Double
    public var p95Latency: Double
    public var retries: Int
    /// Thread CPU time of the detector per frame, in microseconds.
    public var detectorMicrosecondsPerFrame: Double

    /// Share of the stream's audio that was sent to the service.
    public var forwardedShare: Double { audioSeconds > 0 ? forwardedSeconds / audioSeconds : 0 }
}

/// Reads a long stream, clips speech out of it and sends each clip to a recognition service as
/// soon as it closes.
///
/// Reading, resampling and detection run on their own thread; closed clips go through a bounded
/// queue (reading blocks when it is full, so memory stays bounded) to at most `concurrency`
/// requests in flight. A failed request is retried with exponential backoff (0.2 s doubling to
/// 2 s) while the service is unreachable or answers 5xx, until `retryTimeout`; results are
/// reported strictly in stream order.
public final class SpeechStreamer: Sendable {
    private let options: StreamOptions
    private let client: RecognitionClient
    private let stopRequested = Atomic<Bool>(false)

    public init(client: RecognitionClient, options: StreamOptions) {
        self.client = client
        self.options = options
    }

    /// Ends the input early (for example on Ctrl-C): reading stops after the current chunk, the open
    /// clip is closed, and the clips already cut are still sent and reported.
    public func stop() {
        stopRequested.store(true, ordering: .relaxed)
    }

    /// Whether ``stop()`` was called.
    public var isStopping: Bool { stopRequested.load(ordering: .relaxed) }

    /// Runs the stream to its end; `report` is called once per clip, in stream order, as soon as
    /// that clip and every clip before it have their results.
    public func run(
        reader: AudioReader, pipeline: SpeechPipeline, report: @escaping @Sendable (ClipResult) -> Void
    ) async throws -> StreamSummary {
        let slots = DispatchSemaphore(value: options.queueCapacity + options.concurrency)
        let (events, continuation) = AsyncStream<StreamEvent>.makeStream()
        let source = UncheckedSource(reader: reader, pipeline: pipeline)
        let options = options
        let thread = Thread { [self] in
            source.read(options: options, slots: slots, stop: { self.isStopping }) { continuation.yield($0) }
            continuation.finish()
        }
        thread.name = "cairn-speech-reader"
        thread.start()

        let ordered = OrderedResults(report: report, slots: slots)
        let permits = Permits(options.concurrency)
        let client = client
        var samples = 0
        var rate = 16000
        var microsecondsPerFrame = 0.0
        var readError: String?
        await withTaskGroup(of: Void.self) { group in
            for await event in events {
                switch event {
                case .clip(let clip, let closedAt):
                    group.addTask {
                        await permits.acquire()
                        // The retry budget starts when the clip gets a request slot, not while it waits for one.
                        let result = await Self.send(
                            clip, closedAt: closedAt, sending: .now, client: client, options: options)
                        await permits.release()
                        ordered.complete(result)
                    }
                case .failed(let message):
                    readError = message
                case .finished(let count, let sampleRate, let cost):
                    samples = count
                    rate = sampleRate
                    microsecondsPerFrame = cost
                }
            }
            await group.waitForAll()
        }
        if let readError { throw StreamError(message: readError) }
        let all = ordered.results
        let latencies = all.filter { $0.text != nil }.map(\.latency).sorted()
        return StreamSummary(
            clips: all.count, audioSeconds: Double(samples) / Double(rate),
            forwardedSeconds: all.reduce(0) { $0 + $1.duration },
            empty: all.filter { $0.text?.isEmpty == true }.count, failed: all.filter { $0.text == nil }.count,
            meanLatency: latencies.isEmpty ? 0 : latencies.reduce(0, +) / Double(latencies.count),
            p95Latency: latencies.isEmpty
                ? 0 : latencies[min(latencies.count - 1, Int(0.95 * Double(latencies.count)))],
            retries: all.reduce(0) { $0 + $1.attempts - 1 }, detectorMicrosecondsPerFrame: microsecondsPerFrame)
    }

    private static func send(
        _ clip: SpeechClip, closedAt: ContinuousClock.Instant, sending: ContinuousClock.Instant,
        client: RecognitionClient, options: StreamOptions
    ) async -> ClipResult {
        let wav = WAVWriter.encode(clip.samples, sampleRate: clip.sampleRate)
        var result = ClipResult(
            index: clip.index, start: clip.start, end: clip.end, duration: clip.duration,
            loudnessDBFS: clip.loudnessDBFS, snrDB: clip.estimatedSNR, text: nil, error: nil, latency: 0, attempts: 0)
        let deadline = sending + .milliseconds(Int64(options.retryTimeout * 1000))
        var delay = 0.2
        while true {
            result.attempts += 1
            do {
                // Each attempt gets at least a second, and no more than what is left of the budget.
                let left = max(deadline - ContinuousClock.now, .seconds(1))
                result.text = try await client.recognize(wav: wav, within: left)
                result.error = nil
                break
            } catch {
                result.error = error.message
                let now = ContinuousClock.now
                guard error.retryable, now + .milliseconds(Int64(delay * 1000)) < deadline else { break }
                try? await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
                delay = min(delay * 2, 2)
            }
        }
        result.latency = (ContinuousClock.now - closedAt).seconds
        return result
    }
}

/// Delivers results in stream order: holds each until every earlier clip has its result, and frees
/// one reader slot per delivered clip.
private final class OrderedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [Int: ClipResult] = [:]
    private var next = 0
    private var delivered: [ClipResult] = []
    private let report: @Sendable (ClipResult) -> Void
    private let slots: DispatchSemaphore

    init(report: @escaping @Sendable (ClipResult) -> Void, slots: DispatchSemaphore) {
        self.report = report
        self.slots = slots
    }

    func complete(_ result: ClipResult) {
        lock.lock()
        defer { lock.unlock() }
        pending[result.index] = result
        while let ready = pending.removeValue(forKey: next) {
            report(ready)
            delivered.append(ready)
            next += 1
            slots.signal()
        }
    }

    var results: [ClipResult] {
        lock.lock()
        defer { lock.unlock() }
        return delivered
    }
}

/// A counting semaphore for tasks: at most `count` holders at once, waiters resumed in order.
private actor Permits {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { available = count }

    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}

/// Why the stream stopped.
public struct StreamError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// The reader and pipeline, owned by the reader thread alone.
private final class UncheckedSource: @unchecked Sendable {
    let reader: AudioReader
    let pipeline: SpeechPipeline

    init(reader: AudioReader, pipeline: SpeechPipeline) {
        self.reader = reader
        self.pipeline = pipeline
    }

    /// Reads to the end of input, emitting each closed clip (waiting for a free slot first).
    func read(
        options: StreamOptions, slots: DispatchSemaphore, stop: () -> Bool, emit: (StreamEvent) -> Void
    ) {
        let started = ContinuousClock.now
        let inputRate = Double(reader.format.sampleRate)
        // Live pacing reads 10 ms at a time, as a capture device would deliver it.
        let chunkFrames = options.realtime ? max(reader.format.sampleRate / 100, 1) : 16384
        func forward(_ clips: [SpeechClip]) {
            for clip in clips {
                slots.wait()
                emit(.clip(clip, closedAt: .now))
            }
        }
        do {
            while !stop(), let chunk = try reader.read(maxFrames: chunkFrames) {
                if options.realtime {
                    let due = Double(reader.framesRead) / inputRate / options.speed
                    let wait = due - (ContinuousClock.now - started).seconds
                    if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                }
                forward(pipeline.push(chunk))
            }
            forward(pipeline.finish())
        } catch {
            emit(.failed("\(error)"))
        }
        let frames = pipeline.decisions.count
        emit(
            .finished(
                samples: pipeline.samplesProcessed, sampleRate: pipeline.sampleRate,
                microsecondsPerFrame: frames > 0 ? pipeline.detectorCPUSeconds * 1e6 / Double(frames) : 0))
    }
}

/// What the reader thread tells the sender.
enum StreamEvent: Sendable {
    case clip(SpeechClip, closedAt: ContinuousClock.Instant)
    case failed(String)
    case finished(samples: Int, sampleRate: Int, microsecondsPerFrame: Double)
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
