/// The per-hop measurements the speech probability is computed from.
public struct VADFeatures: Sendable, Equatable {
    /// Noise-compensated normalised autocorrelation peak over pitch lags (60–400 Hz), 0…1.
    /// Voiced speech is periodic and scores high; stationary noise scores low.
    public var harmonicity: Float
    /// Level of the 100–1,900 Hz band above its tracked noise floor, in dB.
    public var lowBandSNR: Float
    /// Level above 2 kHz above its tracked noise floor, in dB (fricatives live here).
    public var highBandSNR: Float
    /// Level of the 100–1,900 Hz band in dBFS (mean square of the last 50 ms).
    public var lowBandLevel: Float
    /// Level of the upper-band signal in dB (mean square of the last 50 ms of the fourth difference).
    public var highBandLevel: Float

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
