import Foundation

/// A streaming voice activity detector for 8 or 16 kHz mono audio.
///
/// Every 10 ms hop is measured by the hop analyzer (pitch-lag harmonicity with the background's
/// own autocorrelation subtracted, the spread of the autocorrelation over the pitch lags, and
/// low/high band levels above adaptive noise floors) and put in context over the last 100–200 ms
/// (how the level, the periodicity and the pitch moved). A small network (``VADModel``) turns these
/// into the hop's speech probability: speech is periodic with a gliding pitch, harmonic-rich, above
/// the background and rising and falling with its syllables; stationary noise of any colour is not
/// periodic once the noise's own autocorrelation is removed, and hums, tones, chords and babble
/// give themselves away by a held pitch, few partials or a steady level.
///
/// Decisions follow the frame's mean probability with hysteresis: speech starts at `threshold` on
/// voiced sound, continues while the probability stays above `threshold − 0.15`, and ends after
/// `hangoverMs` more. An audible sound whose level stays within about a decibel for 0.2 s (mains
/// hum, a held tone or chord, steady noise) is learnt as background (the noise floors jump to it),
/// and speech that began with it is ended at once. Processing never allocates after initialisation.
///
/// ```swift
/// let vad = try VoiceActivityDetector(VADConfiguration(sampleRate: 16000, frameMs: 20))
/// for frame in frames {  // 320 samples each
///     let result = vad.process(frame)
///     print(result.probability, result.isSpeech)
/// }
/// ```
public final class VoiceActivityDetector {
    /// The parameters this detector was created with.
    public let configuration: VADConfiguration
    private let analyzer: HopAnalyzer
    private let hopsPerFrame: Int
    private let hangoverFrameCount: Int
    private var speech = false
    private var hangover = 0
    private let context = HopContext()
    private let model: VADModel

    /// Creates a detector; throws if the configuration is not supported. `model` turns each hop's
    /// features into a speech probability (the built-in network unless given).
    public init(
        _ configuration: VADConfiguration = VADConfiguration(), model: VADModel = .standard
    ) throws(VADConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        self.model = model
        analyzer = HopAnalyzer(sampleRate: configuration.sampleRate)
        hopsPerFrame = configuration.frameMs / 10
        hangoverFrameCount = (configuration.hangoverMs + configuration.frameMs - 1) / configuration.frameMs
    }

    /// Samples expected by ``process(_:)-(UnsafeBufferPointer<Float>)``.
    public var samplesPerFrame: Int { configuration.samplesPerFrame }

    /// Frames a speech decision is held after the last confident frame (the hangover); every speech
    /// run ends with this many held frames.
    public var hangoverFrames: Int { hangoverFrameCount }

    /// Whether the detector is currently inside speech.
    public var isInSpeech: Bool { speech }

    /// Classifies one frame of exactly ``samplesPerFrame`` samples in −1…1.
    public func process(_ frame: UnsafeBufferPointer<Float>) -> VADFrame {
        precondition(frame.count == samplesPerFrame, "a frame has \(samplesPerFrame) samples, got \(frame.count)")
        guard let base = frame.baseAddress else { return VADFrame(probability: 0, isSpeech: false, features: .init()) }
        var sum: Float = 0
        var features = VADFeatures()
        var learnt = false
        for h in 0..<hopsPerFrame {
            features = analyzer.analyze(base + h * analyzer.hop, speech: speech)
            context.observe(&features)
            var p = model.probability(features)
            if !speech && p < 0.2 { analyzer.adaptNoiseShape() }
            // Speech rises and falls with its syllables; an audible sound whose level has held
            // within ±1 dB for 0.2 s is a hum, a tone, a chord or steady noise: learn it as
            // background, so the levels above the floors measure what stands out of it.
            if context.isSteady(features) && features.lowBandLevel > Self.audibleLevel {
                analyzer.learnBackground()
                p = 0
                learnt = true
            }
            sum += p
        }
        let probability = sum / Float(hopsPerFrame)
        if learnt && speech {
            // What was taken for speech was the steady sound just learnt: end it now, so that its
            // onset stays shorter than a clip's minimum length instead of becoming a clip.
            speech = false
            hangover = 0
        } else {
            decide(probability, features)
        }
        return VADFrame(probability: probability, isSpeech: speech, features: features)
    }

    /// Classifies one frame given as an array.
    public func process(_ frame: [Float]) -> VADFrame {
        frame.withUnsafeBufferPointer { process($0) }
    }

    /// Forgets all state, as if newly created.
    public func reset() {
        analyzer.reset()
        speech = false
        hangover = 0
        context.reset()
    }

    private func decide(_ probability: Float, _ features: VADFeatures) {
        let threshold = configuration.threshold
        if !speech {
            // Speech starts on voiced sound: a click or a burst of hiss looks like a consonant to the
            // network, but no utterance is made of consonants alone.
            if probability >= threshold && features.harmonicityMean >= Self.onsetHarmonicity {
                speech = true
                hangover = hangoverFrameCount
            }
        } else if probability >= threshold - 0.15 {
            hangover = hangoverFrameCount
        } else if hangover > 0 {
            hangover -= 1
        } else {
            speech = false
        }
    }

    /// Levels below this (dB re full scale) count as silence: digital silence and dither are not
    /// learnt as a steady background.
    static let audibleLevel: Float = -70

    /// Mean harmonicity over the last 100 ms needed to start speech.
    static let onsetHarmonicity: Float = 0.2
}
