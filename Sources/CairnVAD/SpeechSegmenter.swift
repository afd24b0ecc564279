/// Parameters of a ``SpeechSegmenter``, named after Silero VAD's `get_speech_timestamps`.
public struct SegmenterOptions: Sendable, Equatable {
    /// Segments with less speech than this are dropped.
    public var minSpeechMs: Int
    /// A segment closes after this much continuous non-speech; shorter pauses stay inside it.
    public var minSilenceMs: Int
    /// Audio added before and after each segment (never overlapping the previous one).
    public var padMs: Int
    /// Longest segment; a longer one is cut at its longest pause (or hard, if it has none). nil:
    /// no limit.
    public var maxSegmentMs: Int?

    /// The default longest segment: 20 s, long enough for a spoken paragraph, short enough that a
    /// noise the detector holds as speech cannot swallow a whole recording.
    public static let defaultMaxSegmentMs = 20_000
    /// Pauses shorter than this are not used as cut points for `maxSegmentMs`.
    public var minPauseAtMaxMs: Int

    /// Options with the defaults `cairn vad` uses.
    public init(
        minSpeechMs: Int = 250, minSilenceMs: Int = 300, padMs: Int = 30,
        maxSegmentMs: Int? = SegmenterOptions.defaultMaxSegmentMs,
        minPauseAtMaxMs: Int = 100
    ) {
        self.minSpeechMs = minSpeechMs
        self.minSilenceMs = minSilenceMs
        self.padMs = padMs
        self.maxSegmentMs = maxSegmentMs
        self.minPauseAtMaxMs = minPauseAtMaxMs
    }

    /// Checks the parameters against each other.
    public func validate() throws(SegmenterOptionsError) {
        guard minSpeechMs >= 0, minSilenceMs >= 0, padMs >= 0, minPauseAtMaxMs >= 0 else { throw .negative }
        if let maxSegmentMs, maxSegmentMs <= minSpeechMs || maxSegmentMs <= 0 {
            throw .maxTooShort(maxSegmentMs)
        }
    }
}

/// Why ``SegmenterOptions`` were rejected.
public enum SegmenterOptionsError: Error, Equatable, CustomStringConvertible {
    case negative
    case maxTooShort(Int)

    public var description: String {
        switch self {
        case .negative: "segmenter durations must not be negative"
        case .maxTooShort(let ms): "the maximum segment length (\(ms) ms) must exceed the minimum speech length"
        }
    }
}

/// A clip of speech, in samples of the detector's stream: `[start, end)`.
public struct SpeechSegment: Sendable, Equatable {
    /// First sample of the clip (padding included).
    public var start: Int
    /// One past the last sample of the clip (padding included).
    public var end: Int
    /// Whether the clip was ended by the maximum segment length rather than by a pause.
    public var wasCut: Bool

    public init(start: Int, end: Int, wasCut: Bool = false) {
        self.start = start
        self.end = end
        self.wasCut = wasCut
    }

    /// Number of samples in the clip.
    public var count: Int { end - start }
}

/// Turns per-frame speech decisions into clips, one frame at a time, emitting each clip as soon as
/// it is closed. The rules follow Silero VAD's segmentation: speech starts at the first speech
/// frame; a non-speech run opens a tentative end that a speech frame cancels; the segment closes
/// once the run reaches `minSilenceMs` (and at least `padMs`, so the end padding is already
/// audio that has been seen); segments shorter than `minSpeechMs` are dropped; a segment reaching
/// `maxSegmentMs` is cut at its longest pause. Padding never makes clips overlap.
///
/// ```swift
/// var segmenter = SpeechSegmenter(options: SegmenterOptions(), frameSamples: 160)
/// for decision in decisions {
///     if let clip = segmenter.push(isSpeech: decision) { send(clip) }
/// }
/// if let clip = segmenter.finish(totalSamples: sampleCount) { send(clip) }
/// ```
public struct SpeechSegmenter: Sendable {
    public let options: SegmenterOptions
    public let frameSamples: Int
    /// Frames at the end of every speech run that are the detector's hangover, not speech; a clip
    /// ends before them (its padding then follows the last confident frame).
    public let trailingHoldFrames: Int
    private let frameMs: Double
    private var frame = 0
    private var inSpeech = false
    private var start = 0
    private var tentativeEnd: Int?
    private var longestPause: (start: Int, end: Int)?
    private var previousEnd = 0

    /// A segmenter for frames of `frameSamples` samples at `sampleRate` Hz; `trailingHoldFrames` is
    /// the detector's hangover (``VoiceActivityDetector/hangoverFrames``), taken off each clip's end.
    public init(options: SegmenterOptions, frameSamples: Int, sampleRate: Int = 16000, trailingHoldFrames: Int = 0) {
        self.options = options
        self.frameSamples = frameSamples
        self.trailingHoldFrames = max(trailingHoldFrames, 0)
        frameMs = Double(frameSamples) * 1000 / Double(sampleRate)
    }

    private func frames(_ ms: Int) -> Int { Int((Double(ms) / frameMs).rounded(.up)) }
    private var padSamples: Int { frames(options.padMs) * frameSamples }

    /// Frames pushed so far.
    public var framesSeen: Int { frame }

    /// Whether a segment is open (speech seen and not yet closed).
    public var isOpen: Bool { inSpeech }

    /// Adds the decision for the next frame; returns a clip if this frame closed one.
    public mutating func push(isSpeech: Bool) -> SpeechSegment? {
        let t = frame
        frame += 1
        var emitted: SpeechSegment?
        if isSpeech {
            if !inSpeech {
                inSpeech = true
                start = t
                tentativeEnd = nil
                longestPause = nil
            } else if let pauseStart = tentativeEnd {
                if t - pauseStart >= frames(options.minPauseAtMaxMs),
                    t - pauseStart > (longestPause.map { $0.end - $0.start } ?? 0)
                {
                    longestPause = (pauseStart, t)
                }
                tentativeEnd = nil
            }
        } else if inSpeech {
            let pauseStart = tentativeEnd ?? t
            tentativeEnd = pauseStart
            if frame - pauseStart >= max(frames(options.minSilenceMs), frames(options.padMs), 1) {
                emitted = close(endFrame: pauseStart, limit: frame * frameSamples)
                inSpeech = false
                tentativeEnd = nil
            }
        }
        if inSpeech, let maxMs = options.maxSegmentMs, frame - start > frames(maxMs) {
            emitted = cut()
        }
        return emitted
    }

    /// Closes any open segment at the end of a stream of `totalSamples` samples.
    public mutating func finish(totalSamples: Int) -> SpeechSegment? {
        guard inSpeech else { return nil }
        inSpeech = false
        let endFrame = tentativeEnd ?? frame
        tentativeEnd = nil
        return close(endFrame: endFrame, limit: totalSamples)
    }

    private mutating func close(endFrame speechEnd: Int, limit: Int) -> SpeechSegment? {
        let endFrame = max(speechEnd - trailingHoldFrames, start + 1)
        guard (endFrame - start) >= frames(options.minSpeechMs), endFrame > start else { return nil }
        let from = max(start * frameSamples - padSamples, previousEnd, 0)
        let to = min(endFrame * frameSamples + padSamples, limit)
        guard to > from else { return nil }
        previousEnd = to
        return SpeechSegment(start: from, end: to)
    }

    private mutating func cut() -> SpeechSegment {
        let from = max(start * frameSamples - padSamples, previousEnd, 0)
        if let pause = longestPause {
            let to = min(pause.start * frameSamples + padSamples, pause.end * frameSamples)
            previousEnd = to
            start = pause.end
            longestPause = nil
            return SpeechSegment(start: from, end: to, wasCut: true)
        }
        let to = frame * frameSamples
        previousEnd = to
        start = frame
        tentativeEnd = nil
        return SpeechSegment(start: from, end: to, wasCut: true)
    }
}
