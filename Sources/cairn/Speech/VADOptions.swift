import ArgumentParser
import CairnAudio
import CairnVAD

extension VADSensitivity: ExpressibleByArgument {}

/// Detector and segmenter options shared by `cairn vad` and `cairn speech stream`.
struct VADOptions: ParsableArguments {
    @Option(help: "Sample rate the detector runs at: 8000 or 16000 (input at other rates is resampled).")
    var rate: Int = 16000

    @Option(name: .customLong("frame-ms"), help: "Frame length in milliseconds: 10, 20 or 30.")
    var frameMs: Int = 10

    @Option(help: "Preset: quality, balanced, aggressive or very-aggressive (sets threshold and hangover).")
    var sensitivity: VADSensitivity = .balanced

    @Option(help: "Speech probability that starts speech, 0…1 (overrides the preset's).")
    var threshold: Float?

    @Option(name: .customLong("min-speech-ms"), help: "Drop clips with less speech than this.")
    var minSpeechMs: Int = 250

    @Option(name: .customLong("min-silence-ms"), help: "Close a clip after this much non-speech.")
    var minSilenceMs: Int = 300

    @Option(
        name: .customLong("pad-ms"),
        help: "Audio kept before and after each clip (default: 30 for 'vad', 200 for 'speech stream').")
    var padMs: Int?

    @Option(
        name: .customLong("max-segment-s"),
        help: "Longest clip in seconds (0: no limit); longer ones are cut at their longest pause.")
    var maxSegmentSeconds: Double = Double(SegmenterOptions.defaultMaxSegmentMs) / 1000

    @Option(
        name: .customLong("raw-rate"),
        help: "Read headerless little-endian 16-bit mono PCM at this rate (WAV input needs no flag).")
    var rawRate: Int?

    func validate() throws {
        guard VADConfiguration.supportedSampleRates.contains(rate) else {
            throw ValidationError("--rate must be 8000 or 16000.")
        }
        guard VADConfiguration.supportedFrameMs.contains(frameMs) else {
            throw ValidationError("--frame-ms must be 10, 20 or 30.")
        }
        if let threshold, !(threshold > 0 && threshold < 1) {
            throw ValidationError("--threshold must be between 0 and 1.")
        }
        guard minSpeechMs >= 0, minSilenceMs >= 0, (padMs ?? 0) >= 0 else {
            throw ValidationError("Durations must not be negative.")
        }
        if maxSegmentSeconds < 0 || (maxSegmentSeconds > 0 && maxSegmentSeconds * 1000 <= Double(minSpeechMs)) {
            throw ValidationError("--max-segment-s must be 0 (no limit) or longer than --min-speech-ms.")
        }
        if let rawRate, !(1000...768_000).contains(rawRate) {
            throw ValidationError("--raw-rate must be a sample rate in Hz, e.g. 16000.")
        }
    }

    var configuration: VADConfiguration {
        var configuration = VADConfiguration(sampleRate: rate, frameMs: frameMs, sensitivity: sensitivity)
        if let threshold { configuration.threshold = threshold }
        return configuration
    }

    func segmenter(defaultPadMs: Int) -> SegmenterOptions {
        SegmenterOptions(
            minSpeechMs: minSpeechMs, minSilenceMs: minSilenceMs, padMs: padMs ?? defaultPadMs,
            maxSegmentMs: maxSegmentSeconds > 0 ? Int(maxSegmentSeconds * 1000) : nil)
    }

    var raw: RawPCMFormat? { rawRate.map { RawPCMFormat(sampleRate: $0) } }
}
