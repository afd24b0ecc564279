import CairnClient
import CairnCore
import CairnSpeech
import CairnVAD
import Foundation

extension SpeechStreamCommand {
    /// The per-clip records as CSV, one row per clip, for `cairn drift` between recordings.
    static func clipsCSV(_ results: [ClipResult]) -> String {
        var csv = "start,end,duration,loudness_dbfs,snr_db,words,latency_s\n"
        for r in results {
            csv += String(
                format: "%.3f,%.3f,%.3f,%.2f,%.2f,%d,%.4f\n", r.start, r.end, r.duration, r.loudnessDBFS, r.snrDB,
                r.words, r.latency)
        }
        return csv
    }

    /// Per-clip series (step = clip index, timestamp = the clip's start in stream time from `streamStart`), so the
    /// run page charts loudness, SNR, words, empty transcripts and latency over the stream.
    static func clipSeries(_ results: [ClipResult], streamStart: Int64) -> [Metric] {
        var out: [Metric] = []
        out.reserveCapacity(results.count * 5)
        for r in results {
            let ts = streamStart + Int64((r.start * 1000).rounded())
            let step = Int64(r.index)
            out.append(Metric(key: "speech.clip.loudness_dbfs", value: r.loudnessDBFS, timestamp: ts, step: step))
            out.append(Metric(key: "speech.clip.snr_db", value: r.snrDB, timestamp: ts, step: step))
            out.append(Metric(key: "speech.clip.words", value: Double(r.words), timestamp: ts, step: step))
            out.append(
                Metric(key: "speech.clip.empty", value: r.text?.isEmpty == true ? 1 : 0, timestamp: ts, step: step))
            out.append(Metric(key: "speech.clip.latency_s", value: r.latency, timestamp: ts, step: step))
        }
        return out
    }

    /// Logs the stream as one run: settings as params, the summary as `speech.*` metrics, per-clip series as
    /// `speech.clip.*` histories, clips as CSV.
    func logRun(_ results: [ClipResult], _ s: StreamSummary, to uri: String, segmenter: SegmenterOptions)
        async throws -> String
    {
        let client = try TrackingClient(uri: uri)
        let experimentId = try await client.experimentId(named: experiment)
        let now = WallClock.nowMillis()
        let user = ProcessInfo.processInfo.environment["USER"] ?? "cairn"
        let name = runName ?? (input == "-" ? "stdin" : (input as NSString).lastPathComponent)
        let run = try await client.createRun(
            experimentId: experimentId, name: name, userId: user, startTime: now,
            tags: [KeyValue("cairn.kind", "speech-stream")])
        let runId = run.info.runId
        do {
            let configuration = vad.configuration
            let params = [
                KeyValue("speech.input", String(input.suffix(250))),
                KeyValue("speech.asr", String(asr.prefix(250))),
                KeyValue("vad.sample_rate", String(configuration.sampleRate)),
                KeyValue("vad.frame_ms", String(configuration.frameMs)),
                KeyValue("vad.sensitivity", vad.sensitivity.rawValue),
                KeyValue("vad.threshold", String(configuration.threshold)),
                KeyValue("vad.min_speech_ms", String(segmenter.minSpeechMs)),
                KeyValue("vad.min_silence_ms", String(segmenter.minSilenceMs)),
                KeyValue("vad.pad_ms", String(segmenter.padMs)),
                KeyValue("vad.max_segment_ms", segmenter.maxSegmentMs.map(String.init) ?? "none"),
                KeyValue("speech.concurrency", String(concurrency)),
            ]
            let values: [(String, Double)] = [
                ("speech.clips", Double(s.clips)), ("speech.audio_s", s.audioSeconds),
                ("speech.forwarded_s", s.forwardedSeconds), ("speech.forwarded_share", s.forwardedShare),
                ("speech.empty_transcripts", Double(s.empty)),
                ("speech.empty_share", s.clips > 0 ? Double(s.empty) / Double(s.clips) : 0),
                ("speech.failed", Double(s.failed)), ("speech.retries", Double(s.retries)),
                ("speech.mean_latency_s", s.meanLatency), ("speech.p95_latency_s", s.p95Latency),
                ("speech.vad_us_per_frame", s.detectorMicrosecondsPerFrame),
            ]
            let metrics = values.map { Metric(key: $0.0, value: $0.1, timestamp: now, step: 0) }
            try await client.logBatch(runId: runId, metrics: metrics, params: params)
            let series = Self.clipSeries(results, streamStart: now)
            for start in stride(from: 0, to: series.count, by: 1000) {
                let batch = Array(series[start..<min(start + 1000, series.count)])
                try await client.logBatch(runId: runId, metrics: batch, params: [])
            }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "cairn-speech-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let csv = folder.appendingPathComponent("clips.csv")
            try Data(Self.clipsCSV(results).utf8).write(to: csv)
            try await client.uploadArtifact(
                runArtifactUri: run.info.artifactUri, localFile: csv.path, artifactPath: "speech/clips.csv")
            try await client.finishRun(
                id: runId, status: s.failed > 0 ? .failed : .finished,
                endTime: WallClock.nowMillis())
        } catch {
            try? await client.finishRun(id: runId, status: .failed, endTime: WallClock.nowMillis())
            throw error
        }
        return runId
    }
}
