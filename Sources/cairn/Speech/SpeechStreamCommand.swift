import ArgumentParser
import CairnAudio
import CairnCore
import CairnServiceKit
import CairnSpeech
import Foundation
import Synchronization

/// `cairn speech stream`: VAD at the edge, recognition in the service.
struct SpeechStreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "Stream audio through the voice activity detector and send each clip to a recognition service.",
        discussion: """
            Reads a long recording or a live pipe ('-'), detects speech, and posts each clip to \
            ASR/v1/recognize (see 'cairn asr serve') as soon as it closes. Prints '[start – end] transcript' \
            lines in stream order and a summary. Requests that fail because the service is down or answers \
            5xx are retried with backoff until --retry-timeout, so a restart of the service loses no clip. \
            Ctrl-C ends the input but still sends the clips already cut and prints the summary (a second \
            Ctrl-C quits at once). Exits 1 if any clip could not be transcribed.

            With --log-to the stream is logged as a tracking run: VAD settings as parameters, the summary \
            as speech.* metrics, and one row per clip in the artifact speech/clips.csv (start, end, \
            duration, loudness_dbfs, snr_db, words, latency_s), ready for 'cairn drift' between recordings.

            Examples:
              cairn speech stream meeting.wav --asr http://127.0.0.1:8000
              arecord -f S16_LE -r 16000 | \\
                cairn speech stream - --raw-rate 16000 --asr http://asr:8000
              cairn speech stream day2.wav --asr http://127.0.0.1:8000 \\
                --log-to http://127.0.0.1:5000 --experiment edge-mic-3
              cairn speech stream meeting.wav --asr https://asr.example.com --asr-token-file ~/.cairn/asr-token
            """
    )

    @Argument(help: ArgumentHelp("Audio file, or '-' for standard input.", valueName: "input"))
    var input: String

    @Option(help: ArgumentHelp("Recognition service base URL.", valueName: "url"))
    var asr: String

    @Option(
        name: .customLong("asr-token-file"),
        help: ArgumentHelp(
            "A file whose first token in clear is sent as 'Authorization: Bearer' to a service started with "
                + "--auth-token-file.", valueName: "file"))
    var asrTokenFile: String?

    @Flag(help: "Read the input no faster than real time (a file standing in for a live source).")
    var realtime = false

    @Option(help: "With --realtime, play the input this many times faster than real time.")
    var speed: Double = 1

    @Option(help: "Requests in flight at once.")
    var concurrency = 2

    @Option(help: "Closed clips that may wait for a request slot before reading pauses.")
    var queue = 32

    @Option(name: .customLong("retry-timeout"), help: "Seconds to keep retrying one clip before giving up.")
    var retryTimeout: Double = 120

    @OptionGroup var vad: VADOptions

    @Option(help: ArgumentHelp("Write clips and summary as JSON here.", valueName: "path"))
    var json: String?

    @Option(help: ArgumentHelp("Write the per-clip records (as in speech/clips.csv) here.", valueName: "path"))
    var csv: String?

    @Option(
        name: .customLong("log-to"),
        help: ArgumentHelp("Tracking server URL to log the stream to as a run.", valueName: "url"))
    var logTo: String?

    @Option(help: "Experiment for --log-to.")
    var experiment = "speech-stream"

    @Option(name: .customLong("run-name"), help: "Run name for --log-to (default: the input file name).")
    var runName: String?

    func validate() throws {
        if input != "-" && !FileManager.default.fileExists(atPath: input) {
            throw ValidationError("No such file: \(input)")
        }
        guard asr.hasPrefix("http://") || asr.hasPrefix("https://") else {
            throw ValidationError("--asr must be an http:// or https:// URL.")
        }
        guard speed > 0 else { throw ValidationError("--speed must be positive.") }
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be 1…64.") }
        guard (1...10000).contains(queue) else { throw ValidationError("--queue must be 1…10000.") }
        guard retryTimeout >= 0 else { throw ValidationError("--retry-timeout must not be negative.") }
        if let logTo, !(logTo.hasPrefix("http://") || logTo.hasPrefix("https://")) {
            throw ValidationError("--log-to must be an http:// or https:// URL.")
        }
    }

    func run() async throws {
        let reader: AudioReader
        do { reader = try AudioReader(path: input, raw: vad.raw) } catch { throw ValidationError("\(error)") }
        let segmenter = vad.segmenter(defaultPadMs: 200)
        let pipeline = try SpeechPipeline(
            inputRate: reader.format.sampleRate, configuration: vad.configuration, segmenter: segmenter)
        let token: String?
        do { token = try asrTokenFile.map { try TokenFile.clientToken(path: $0) } } catch {
            throw ValidationError("--asr-token-file: \(error)")
        }
        let client = try RecognitionClient(url: asr, token: token)
        let streamer = SpeechStreamer(
            client: client,
            options: StreamOptions(
                concurrency: concurrency, queueCapacity: queue, retryTimeout: retryTimeout, realtime: realtime,
                speed: speed))
        let collected = ResultLog()
        // First Ctrl-C: stop reading, finish the clips already cut, print the summary. Second: quit.
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler {
            if streamer.isStopping { Foundation.exit(130) }
            Console.err("stopping: finishing the clips already cut (Ctrl-C again to quit)\n")
            streamer.stop()
        }
        interrupt.resume()
        defer { interrupt.cancel() }
        let summary: StreamSummary
        do {
            summary = try await streamer.run(reader: reader, pipeline: pipeline) { result in
                collected.append(result)
                let text = result.text ?? "<failed: \(result.error ?? "unknown error")>"
                Self.write(String(format: "[%7.2f – %7.2f] ", result.start, result.end) + text + "\n")
            }
        } catch {
            await client.shutdown()
            throw ValidationError("\(error)")
        }
        await client.shutdown()
        let results = collected.items
        if summary.audioSeconds == 0 {
            Console.err("warning: \(input == "-" ? "the input" : input) holds no audio samples (a header only?)\n")
        }
        Self.write(Self.summaryText(summary))
        if let json {
            try Data(Self.json(results, summary)).write(to: URL(fileURLWithPath: json))
        }
        if let csv {
            try Data(Self.clipsCSV(results).utf8).write(to: URL(fileURLWithPath: csv))
        }
        if let logTo {
            let runId = try await logRun(results, summary, to: logTo, segmenter: segmenter)
            Self.write("logged run \(runId) to \(logTo) (experiment '\(experiment)')\n")
        }
        if summary.failed > 0 { throw ExitCode(1) }
    }

    static func write(_ text: String) { Console.out(text) }

    static func summaryText(_ s: StreamSummary) -> String {
        """
        summary:
          clips               \(s.clips) (\(s.empty) empty transcripts, \(s.failed) failed, \(s.retries) retries)
          audio               \(String(format: "%.1f", s.audioSeconds)) s, forwarded \(String(format: "%.1f s (%.1f%%)", s.forwardedSeconds, 100 * s.forwardedShare))
          latency             mean \(String(format: "%.3f", s.meanLatency)) s, p95 \(String(format: "%.3f", s.p95Latency)) s (clip closed → transcript)
          detector            \(String(format: "%.2f", s.detectorMicrosecondsPerFrame)) µs CPU per frame

        """
    }

    /// The clips and summary as a JSON document (keys sorted, as earlier versions wrote them).
    static func json(_ results: [ClipResult], _ s: StreamSummary) -> [UInt8] {
        var w = JSONWriter(capacity: 256 + results.count * 200)
        w.object { w in
            w.key("clips")
            w.array { w in
                for r in results {
                    w.object { w in
                        w.field("attempts", Int64(r.attempts))
                        w.field("duration", r.duration)
                        w.field("end", r.end)
                        if let error = r.error, r.text == nil { w.field("error", error) }
                        w.field("index", Int64(r.index))
                        w.field("latency_s", r.latency)
                        w.field("loudness_dbfs", r.loudnessDBFS)
                        w.field("snr_db", r.snrDB)
                        w.field("start", r.start)
                        w.key("text")
                        if let text = r.text { w.value(text) } else { w.raw("null") }
                        w.field("words", Int64(r.words))
                    }
                }
            }
            w.key("summary")
            w.object { w in
                w.field("audio_s", s.audioSeconds)
                w.field("clips", Int64(s.clips))
                w.field("empty", Int64(s.empty))
                w.field("failed", Int64(s.failed))
                w.field("forwarded_s", s.forwardedSeconds)
                w.field("forwarded_share", s.forwardedShare)
                w.field("mean_latency_s", s.meanLatency)
                w.field("p95_latency_s", s.p95Latency)
                w.field("retries", Int64(s.retries))
                w.field("vad_us_per_frame", s.detectorMicrosecondsPerFrame)
            }
        }
        w.endLine()
        return w.bytes
    }
}

/// Results gathered from the streamer's callback.
final class ResultLog: Sendable {
    private let results = Mutex<[ClipResult]>([])

    func append(_ result: ClipResult) {
        results.withLock { $0.append(result) }
    }

    var items: [ClipResult] { results.withLock { $0 } }
}
