import CairnAudio
import CairnVAD
import Foundation

/// A closed speech clip and its audio at the detector's sample rate.
public struct SpeechClip: Sendable {
    /// Zero-based position of the clip in the stream.
    public var index: Int
    /// Where the clip lies in the stream, in samples at `sampleRate`.
    public var segment: SpeechSegment
    /// The clip's samples (−1…1) at `sampleRate`.
    public var samples: [Float]
    /// The detector's sample rate.
    public var sampleRate: Int
    /// Mean power (mean square) of the recent non-speech frames when the clip closed: the background.
    public var backgroundPower: Double

    /// Start time in seconds.
    public var start: Double { Double(segment.start) / Double(sampleRate) }
    /// End time in seconds.
    public var end: Double { Double(segment.end) / Double(sampleRate) }
    /// Duration in seconds.
    public var duration: Double { Double(segment.count) / Double(sampleRate) }

    /// Mean power of the clip's samples.
    public var power: Double {
        guard !samples.isEmpty else { return 0 }
        return samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)
    }

    /// RMS level of the clip in dBFS (−120 for digital silence).
    public var loudnessDBFS: Double { max(10 * log10(power), -120) }

    /// Estimated signal-to-noise ratio in dB: the clip's power above the background against the
    /// background (capped at 60 dB when the background is digital silence). Pauses and padding inside
    /// the clip make this an underestimate of the SNR of the speech itself.
    public var estimatedSNR: Double {
        let signal = max(power - backgroundPower, 1e-12)
        return min(10 * log10(signal / max(backgroundPower, 1e-12)), 60)
    }
}

/// Runs audio chunks through resampling, the detector and the segmenter, and returns each clip as
/// soon as it closes, with its audio. Only the audio that a future clip may still need is kept, so
/// streams of any length run in constant memory (apart from the per-frame decision log).
public final class SpeechPipeline {
    public let detector: VoiceActivityDetector
    private var segmenter: SpeechSegmenter
    private var resampler: Resampler
    private let frameSamples: Int
    private let padSamples: Int
    private var pending: [Float] = []
    private var audio: [Float] = []
    private var audioOffset = 0
    private var processed = 0
    private var clipCount = 0
    private var backgroundPower = 0.0
    private var backgroundFrames = 0
    /// The 0/1 decision of every frame so far (before segmentation).
    public private(set) var decisions: [UInt8] = []
    /// The speech probability of every frame so far, if `keepProbabilities` was set.
    public private(set) var probabilities: [Float] = []
    private let keepProbabilities: Bool
    /// The features of every frame so far, if `keepProbabilities` was set.
    public private(set) var features: [VADFeatures] = []
    /// Thread CPU time spent in the detector and segmenter, in seconds.
    public private(set) var detectorCPUSeconds = 0.0

    /// A pipeline for input at `inputRate` Hz.
    public init(
        inputRate: Int, configuration: VADConfiguration, segmenter options: SegmenterOptions,
        keepProbabilities: Bool = false
    ) throws {
        try options.validate()
        detector = try VoiceActivityDetector(configuration)
        frameSamples = configuration.samplesPerFrame
        segmenter = SpeechSegmenter(
            options: options, frameSamples: frameSamples, sampleRate: configuration.sampleRate,
            trailingHoldFrames: detector.hangoverFrames)
        resampler = try Resampler(from: inputRate, to: configuration.sampleRate)
        padSamples = options.padMs * configuration.sampleRate / 1000
        self.keepProbabilities = keepProbabilities
    }

    /// The detector's sample rate.
    public var sampleRate: Int { detector.configuration.sampleRate }

    /// Samples (at the detector's rate) run through the detector so far.
    public var samplesProcessed: Int { processed }

    /// Feeds the next chunk of input audio; returns the clips it closed.
    public func push(_ input: [Float]) -> [SpeechClip] {
        let samples = resampler.process(input)
        return consume(samples)
    }

    /// Ends the stream: flushes the resampler, runs the last partial frame, closes any open clip.
    public func finish() -> [SpeechClip] {
        var clips = consume(resampler.flush())
        if !pending.isEmpty {
            // Zero-pad the final partial frame so its decision is still made.
            let real = pending.count
            pending.append(contentsOf: [Float](repeating: 0, count: frameSamples - real))
            clips += runFrames(realSamplesInLast: real)
        }
        if let segment = segmenter.finish(totalSamples: processed) {
            clips.append(makeClip(segment))
        }
        return clips
    }

    private func consume(_ samples: [Float]) -> [SpeechClip] {
        pending.append(contentsOf: samples)
        return runFrames(realSamplesInLast: frameSamples)
    }

    private func runFrames(realSamplesInLast: Int) -> [SpeechClip] {
        var clips: [SpeechClip] = []
        let frames = pending.count / frameSamples
        guard frames > 0 else { return clips }
        audio.append(contentsOf: pending[0..<(frames * frameSamples)])
        let started = Self.threadCPUTime()
        pending.withUnsafeBufferPointer { buffer in
            for f in 0..<frames {
                let frame = UnsafeBufferPointer(rebasing: buffer[(f * frameSamples)..<((f + 1) * frameSamples)])
                let result = detector.process(frame)
                decisions.append(result.isSpeech ? 1 : 0)
                if keepProbabilities {
                    probabilities.append(result.probability)
                    features.append(result.features)
                }
                if !result.isSpeech { trackBackground(frame) }
                let last = f == frames - 1
                processed += last ? realSamplesInLast : frameSamples
                if let segment = segmenter.push(isSpeech: result.isSpeech) {
                    clips.append(makeClip(segment))
                }
            }
        }
        detectorCPUSeconds += Self.threadCPUTime() - started
        pending.removeFirst(frames * frameSamples)
        trimAudio()
        return clips
    }

    private func makeClip(_ segment: SpeechSegment) -> SpeechClip {
        let from = max(segment.start - audioOffset, 0)
        let to = min(segment.end - audioOffset, audio.count)
        let samples = from < to ? Array(audio[from..<to]) : []
        defer { clipCount += 1 }
        return SpeechClip(
            index: clipCount, segment: segment, samples: samples, sampleRate: sampleRate,
            backgroundPower: backgroundPower)
    }

    /// Folds a non-speech frame into the background power: a running mean over the first 50 frames,
    /// then an exponential average with a time constant of 50 frames.
    private func trackBackground(_ frame: UnsafeBufferPointer<Float>) {
        var sum: Float = 0
        for x in frame { sum += x * x }
        let power = Double(sum) / Double(frame.count)
        backgroundFrames += 1
        let weight = 1 / Double(min(backgroundFrames, 50))
        backgroundPower += weight * (power - backgroundPower)
    }

    /// Keeps only audio a clip may still include: everything while a segment is open (it started
    /// at most `pad` before its first speech frame), else the last `pad` plus one frame.
    private func trimAudio() {
        guard !segmenter.isOpen else { return }
        let keepFrom = max(processed - padSamples - frameSamples, 0)
        let drop = keepFrom - audioOffset
        if drop > 65536 {
            audio.removeFirst(drop)
            audioOffset = keepFrom
        }
    }

    /// CPU time consumed by the calling thread, in seconds.
    public static func threadCPUTime() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
