/// How eagerly the detector calls a frame speech.
///
/// Each preset sets the decision threshold on the speech probability and how long speech is held
/// after the last confident frame (the hangover), trading missed word endings against false alarms.
public enum VADSensitivity: String, CaseIterable, Sendable {
    /// Keeps as much speech as possible: low threshold, long hangover.
    case quality
    /// The default balance for clipping speech for a recogniser.
    case balanced
    /// Fewer false alarms in loud noise, at the cost of clipped word endings.
    case aggressive
    /// Only clearly voiced speech.
    case veryAggressive = "very-aggressive"

    /// The probability a frame must reach to start speech.
    public var threshold: Float {
        switch self {
        case .quality: 0.35
        case .balanced: 0.5
        case .aggressive: 0.65
        case .veryAggressive: 0.8
        }
    }

    /// How long speech is held after the last frame above the release threshold, in milliseconds.
    public var hangoverMs: Int {
        switch self {
        case .quality: 150
        case .balanced: 50
        case .aggressive: 40
        case .veryAggressive: 20
        }
    }
}

/// Parameters of a ``VoiceActivityDetector``.
public struct VADConfiguration: Sendable, Equatable {
    /// Sample rates the detector accepts directly; resample anything else first.
    public static let supportedSampleRates = [8000, 16000]
    /// Frame lengths the detector accepts, in milliseconds.
    public static let supportedFrameMs = [10, 20, 30]

    /// Input sample rate in Hz (8000 or 16000).
    public var sampleRate: Int
    /// Frame length in milliseconds (10, 20 or 30).
    public var frameMs: Int
    /// Probability at or above which a frame starts speech; speech continues while the probability
    /// stays above `threshold - 0.15`.
    public var threshold: Float
    /// Speech is held this long after the last frame above the release threshold.
    public var hangoverMs: Int

    /// A configuration from a sensitivity preset.
    public init(
        sampleRate: Int = 16000, frameMs: Int = 10, sensitivity: VADSensitivity = .balanced
    ) {
        self.sampleRate = sampleRate
        self.frameMs = frameMs
        self.threshold = sensitivity.threshold
        self.hangoverMs = sensitivity.hangoverMs
    }

    /// Samples in one frame.
    public var samplesPerFrame: Int { sampleRate * frameMs / 1000 }

    /// Checks the parameters; the detector's initializer calls this.
    public func validate() throws(VADConfigurationError) {
        guard Self.supportedSampleRates.contains(sampleRate) else {
            throw .unsupportedSampleRate(sampleRate)
        }
        guard Self.supportedFrameMs.contains(frameMs) else { throw .unsupportedFrameLength(frameMs) }
        guard threshold > 0, threshold < 1 else { throw .invalidThreshold(threshold) }
        guard hangoverMs >= 0 else { throw .negativeDuration }
    }
}

/// Why a ``VADConfiguration`` was rejected.
public enum VADConfigurationError: Error, Equatable, CustomStringConvertible {
    case unsupportedSampleRate(Int)
    case unsupportedFrameLength(Int)
    case invalidThreshold(Float)
    case negativeDuration

    public var description: String {
        switch self {
        case .unsupportedSampleRate(let rate):
            "the detector runs at 8000 or 16000 Hz, not \(rate) Hz (resample the input first)"
        case .unsupportedFrameLength(let ms):
            "frame length must be 10, 20 or 30 ms, not \(ms) ms"
        case .invalidThreshold(let value):
            "threshold must be between 0 and 1 (exclusive), not \(value)"
        case .negativeDuration:
            "the hangover must not be negative"
        }
    }
}
