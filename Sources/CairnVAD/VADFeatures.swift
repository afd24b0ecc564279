/// The per-hop measurements the speech probability is computed from: the hop's own (periodicity and
/// band levels) and its context over the last 100–200 ms (how level, periodicity and pitch moved).
public struct VADFeatures: Sendable, Equatable {
    /// Noise-compensated normalised autocorrelation peak over pitch lags (60–400 Hz), 0…1.
    /// Voiced speech is periodic and scores high; stationary noise scores low.
    public var harmonicity: Float = 0
    /// Level of the 100–1,900 Hz band above its tracked noise floor, in dB.
    public var lowBandSNR: Float = 0
    /// Level above 2 kHz above its tracked noise floor, in dB (fricatives live here).
    public var highBandSNR: Float = 0
    /// Level of the 100–1,900 Hz band in dBFS (mean square of the last 50 ms).
    public var lowBandLevel: Float = -100
    /// Level of the upper-band signal in dB (mean square of the last 50 ms of the fourth difference).
    public var highBandLevel: Float = -100
    /// The lag of the harmonicity peak, in samples at 4 kHz (10…66: 400…60 Hz).
    public var pitchLag: Float = 0
    /// Mean absolute normalised autocorrelation over the pitch lags: a few pure tones (hum, chords,
    /// beeps) correlate at every lag, a harmonic-rich voice mostly at multiples of its period.
    public var correlationSpread: Float = 0
    /// Lowest normalised autocorrelation over the pitch lags (deeply negative for pure tones).
    public var correlationTrough: Float = 0
    /// Standard deviation of `lowBandLevel` over the last 200 ms, in dB.
    public var levelDeviation: Float = 20
    /// Mean absolute hop-to-hop change of `lowBandLevel` over the last 100 ms, in dB.
    public var levelMovement: Float = 0
    /// Mean signed hop-to-hop change of `lowBandLevel` over the last 100 ms, in dB (a reverberant tail
    /// decays steadily).
    public var levelSlope: Float = 0
    /// `lowBandLevel` above its average over the last few seconds (an exponential average with a
    /// 1.5 s time constant), in dB: a voice in front of babble stands out of it.
    public var levelAboveAverage: Float = 0
    /// `lowBandLevel` below its recent peak (a peak that decays by 2 dB/s), in dB: a voice in front
    /// of babble reaches the peak, the babble in its pauses stays below it.
    public var levelBelowPeak: Float = 0
    /// Mean `lowBandSNR` over the last 200 ms.
    public var lowBandSNRMean: Float = 0
    /// Highest `lowBandSNR` over the last 200 ms.
    public var lowBandSNRPeak: Float = 0
    /// Highest `highBandSNR` over the last 200 ms.
    public var highBandSNRPeak: Float = 0
    /// Mean harmonicity over the last 100 ms.
    public var harmonicityMean: Float = 0
    /// Share of the last 100 ms of hops whose pitch lag equals the previous hop's: 1 for a held tone.
    public var pitchSteadiness: Float = 0

    public init(
        harmonicity: Float = 0, lowBandSNR: Float = 0, highBandSNR: Float = 0, lowBandLevel: Float = -100,
        highBandLevel: Float = -100
    ) {
        self.harmonicity = harmonicity
        self.lowBandSNR = lowBandSNR
        self.highBandSNR = highBandSNR
        self.lowBandLevel = lowBandLevel
        self.highBandLevel = highBandLevel
    }
}

/// The detector's output for one frame.
public struct VADFrame: Sendable, Equatable {
    /// Probability that the frame contains speech, 0…1 (mean over its 10 ms hops).
    public var probability: Float
    /// The decision after hysteresis, unvoiced continuation and hangover.
    public var isSpeech: Bool
    /// The features of the frame's last hop.
    public var features: VADFeatures
}
