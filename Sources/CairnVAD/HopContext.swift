/// Short-term history of the hop features: how a sound's level, periodicity and pitch have moved over
/// the last few hundred milliseconds. Speech rises and falls with its syllables (3–8 Hz) and its pitch
/// glides; a hum, a held tone or a chord holds its level and its period; babble, many voices at once,
/// is periodic but only weakly so and holds a steadier level than one voice. Allocation-free.
final class HopContext {
    /// Hops in the long window (level deviation, SNR peaks and means). Also the time a periodic
    /// sound's level must hold within about a decibel to be learnt as background: speech's level
    /// moves by several decibels within 0.2 s, and a shorter window starts to catch sustained
    /// vowels (tuning split of the development corpus: 15 hops cost clip and frame F1 in clipped and
    /// reverberant speech, 20 did not).
    static let longHops = 20
    /// Hops in the short window (harmonicity mean, pitch steadiness, level movement).
    static let shortHops = 10

    private let level = SampleBuffer(count: longHops)
    private let lowSNR = SampleBuffer(count: longHops)
    private let highSNR = SampleBuffer(count: longHops)
    private let harmonicity = SampleBuffer(count: shortHops)
    private let lag = SampleBuffer(count: shortHops)
    private var index = 0
    private var filled = 0
    private var averageLevel: Float?
    private var peakLevel: Float = -100
    /// dB per hop the recent peak level decays (2 dB/s).
    static let peakDecay: Float = 0.02
    /// Weight of each hop in the long-term level average (a 1.5 s time constant at 100 hops/s).
    static let averageRate: Float = 1.0 / 150

    /// Adds the hop's own measurements to `features` and fills in its context fields.
    func observe(_ features: inout VADFeatures) {
        let long = index % Self.longHops
        let short = index % Self.shortHops
        level[long] = features.lowBandLevel
        lowSNR[long] = features.lowBandSNR
        highSNR[long] = features.highBandSNR
        harmonicity[short] = features.harmonicity
        lag[short] = features.pitchLag
        index = (index + 1) % Self.longHops  // a multiple of shortHops, so both rings stay aligned
        filled = min(filled + 1, Self.longHops)

        let n = filled
        var levelSum: Float = 0
        var snrSum: Float = 0
        var snrPeak: Float = -.infinity
        var highPeak: Float = -.infinity
        for i in 0..<n {
            levelSum += level[i]
            snrSum += lowSNR[i]
            snrPeak = max(snrPeak, lowSNR[i])
            highPeak = max(highPeak, highSNR[i])
        }
        let mean = levelSum / Float(n)
        var squares: Float = 0
        for i in 0..<n {
            let d = level[i] - mean
            squares += d * d
        }
        features.levelDeviation = n == Self.longHops ? (squares / Float(n)).squareRoot() : 20
        features.lowBandSNRMean = snrSum / Float(n)
        features.lowBandSNRPeak = snrPeak
        features.highBandSNRPeak = highPeak

        let m = min(filled, Self.shortHops)
        var harmonicitySum: Float = 0
        var sameLag = 0
        var movement: Float = 0
        var slope: Float = 0
        for k in 0..<m {
            let i = (short - k + Self.shortHops) % Self.shortHops
            harmonicitySum += harmonicity[i]
            guard k + 1 < m else { continue }
            let j = (i - 1 + Self.shortHops) % Self.shortHops
            if abs(lag[i] - lag[j]) < 0.5 { sameLag += 1 }
            let a = (long - k + Self.longHops) % Self.longHops
            let b = (a - 1 + Self.longHops) % Self.longHops
            movement += abs(level[a] - level[b])
            slope += level[a] - level[b]
        }
        features.harmonicityMean = harmonicitySum / Float(m)
        features.pitchSteadiness = m > 1 ? Float(sameLag) / Float(m - 1) : 0
        features.levelMovement = m > 1 ? movement / Float(m - 1) : 0
        features.levelSlope = m > 1 ? slope / Float(m - 1) : 0
        let average = averageLevel.map { $0 + Self.averageRate * (features.lowBandLevel - $0) } ?? features.lowBandLevel
        averageLevel = average
        features.levelAboveAverage = features.lowBandLevel - average
        peakLevel = max(features.lowBandLevel, peakLevel - Self.peakDecay)
        features.levelBelowPeak = peakLevel - features.lowBandLevel
    }

    /// Whether the level has held within about `maxDeviation` dB over the whole long window: a hum, a
    /// held tone or a chord rather than speech.
    func isSteady(_ features: VADFeatures, maxDeviation: Float = 1) -> Bool {
        filled == Self.longHops && features.levelDeviation < maxDeviation
    }

    func reset() {
        index = 0
        filled = 0
        averageLevel = nil
        peakLevel = -100
    }
}
