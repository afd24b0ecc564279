import Foundation

/// Measures the ``VADFeatures`` of each 10 ms hop of audio. Allocation-free after initialisation.
///
/// Signal path per hop:
/// 1. a low-pass to 1.9 kHz and decimation to 4 kHz (the band that carries the pitch harmonics),
/// 2. a 100 Hz high-pass of the 4 kHz signal (removes hum and the bulk of brown noise),
/// 3. pre-emphasis (1 − 0.9 z⁻¹) of the 4 kHz signal, which flattens coloured noise before the
///    periodicity measure,
/// 4. short-time autocorrelation over the last 50 ms at lags 0 and 10…66 (400…60 Hz), kept as three
///    per-hop partial sums so the window slides without drift,
/// 5. harmonicity: the largest autocorrelation over the pitch lags after subtracting the tracked
///    noise autocorrelation, normalised by the mean energy of the two lagged segments (so it stays
///    within −1…1 even at onsets),
/// 6. band levels (low band from the 4 kHz signal, upper band through a fourth difference of the
///    input) against minimum-tracking noise floors.
final class HopAnalyzer {
    static let analysisRate = 4000
    static let lowHop = 40
    static let blocks = 5
    static let window = lowHop * blocks
    static let minLag = 10
    static let maxLag = 66
    static let emphasis: Float = 0.9
    private static let historyCapacity = 1024
    private static let lagCount = maxLag + 1

    let hop: Int
    private var highPass: Biquad
    private var previousInput: (Float, Float, Float, Float) = (0, 0, 0, 0)
    private let decimator: Decimator
    private let plain: SampleBuffer
    private let history: SampleBuffer
    private var end: Int
    private var lastPlain: Float = 0
    private let blockCorr: SampleBuffer
    private let blockLow: SampleBuffer
    private let blockHigh: SampleBuffer
    private var blockIndex = 0
    private var hopsSeen = 0
    private let correlation: SampleBuffer
    private let prefix: SampleBuffer
    private let noiseShape: SampleBuffer
    private var lowFloor = NoiseFloor()
    private var highFloor = NoiseFloor()
    private var emphasisedFloor = NoiseFloor()
    private var lastLevels: (low: Float, high: Float, emphasised: Float) = (-100, -100, -100)

    init(sampleRate: Int) {
        hop = sampleRate / 100
        highPass = .highPass(cutoff: 100, sampleRate: Double(Self.analysisRate))
        decimator = Decimator(
            factor: sampleRate / Self.analysisRate, cutoff: 1900, sampleRate: Double(sampleRate), maxBlock: hop)
        plain = SampleBuffer(count: Self.lowHop)
        history = SampleBuffer(count: Self.historyCapacity)
        end = Self.window + Self.maxLag
        blockCorr = SampleBuffer(count: Self.blocks * Self.lagCount)
        blockLow = SampleBuffer(count: Self.blocks)
        blockHigh = SampleBuffer(count: Self.blocks)
        correlation = SampleBuffer(count: Self.lagCount)
        prefix = SampleBuffer(count: Self.window + Self.maxLag + 1)
        noiseShape = SampleBuffer(count: Self.lagCount)
    }

    func reset() {
        highPass.reset()
        previousInput = (0, 0, 0, 0)
        decimator.reset()
        history.fill(0)
        end = Self.window + Self.maxLag
        lastPlain = 0
        blockCorr.fill(0)
        blockLow.fill(0)
        blockHigh.fill(0)
        noiseShape.fill(0)
        blockIndex = 0
        hopsSeen = 0
        lowFloor.reset()
        highFloor.reset()
        emphasisedFloor.reset()
        lastLevels = (-100, -100, -100)
    }

    /// Analyses one hop (`hop` samples) and returns its features. `speech` is the detector's current
    /// state; it slows the noise floors down while speech is present.
    func analyze(_ input: UnsafePointer<Float>, speech: Bool) -> VADFeatures {
        // The upper band through a fourth difference, x[n] − 4x[n−1] + 6x[n−2] − 4x[n−3] + x[n−4]:
        // a 24 dB/octave high-pass (at 16 kHz input −33 dB at 1 kHz, −9 dB at 2 kHz, +12 dB at
        // 4 kHz) without recursion, so it is cheap. It only has to show fricative energy above the
        // voiced band, not to split bands exactly.
        var highEnergy: Float = 0
        var (x1, x2, x3, x4) = previousInput
        for i in 0..<hop {
            let x = input[i]
            let d = x - 4 * x1 + 6 * x2 - 4 * x3 + x4
            highEnergy += d * d
            x4 = x3
            x3 = x2
            x2 = x1
            x1 = x
        }
        previousInput = (x1, x2, x3, x4)
        decimator.process(input, count: hop, into: plain.pointer)

        // Append the pre-emphasised hop to the history, sliding it back when full.
        let keep = Self.window + Self.maxLag
        if end + Self.lowHop > Self.historyCapacity {
            history.pointer.update(from: history.pointer + (end - keep), count: keep)
            end = keep
        }
        let z = history.pointer
        var lowEnergy: Float = 0
        var previous = lastPlain
        var base = highPass
        for i in 0..<Self.lowHop {
            let y = base.tick(plain[i])  // the 100 Hz high-pass, at 4 kHz
            lowEnergy += y * y
            z[end + i] = y - Self.emphasis * previous
            previous = y
        }
        lastPlain = previous
        base.flushDenormals()
        highPass = base
        end += Self.lowHop

        storeBlock(lowEnergy: lowEnergy, highEnergy: highEnergy)
        return measure(speech: speech)
    }

    /// Takes the current hop as background: the noise floors jump to its levels and the noise
    /// autocorrelation moves quickly toward it. For steady periodic noise (mains hum, a fan's tone)
    /// that the detector would otherwise hold as voiced speech.
    func learnBackground() {
        lowFloor.raise(to: lastLevels.low)
        highFloor.raise(to: lastLevels.high)
        emphasisedFloor.raise(to: lastLevels.emphasised)
        adaptNoiseShape(rate: 0.3)
    }

    /// Pulls the noise autocorrelation shape toward the current window; call on hops judged noise.
    func adaptNoiseShape(rate: Float = 0.05) {
        let e0 = correlation[0]
        guard e0 > 1e-9 else { return }
        let inverse = 1 / e0
        for lag in Self.minLag...Self.maxLag {
            noiseShape[lag] += rate * (correlation[lag] * inverse - noiseShape[lag])
        }
    }

    private func storeBlock(lowEnergy: Float, highEnergy: Float) {
        let z = history.pointer
        let newest = z + (end - Self.lowHop)
        let row = blockCorr.pointer + blockIndex * Self.lagCount
        row[0] = dot(newest, newest, count: Self.lowHop)
        for lag in Self.minLag...Self.maxLag {
            row[lag] = dot(newest, newest - lag, count: Self.lowHop)
        }
        blockLow[blockIndex] = lowEnergy
        blockHigh[blockIndex] = highEnergy
        blockIndex = (blockIndex + 1) % Self.blocks
    }

    private func measure(speech: Bool) -> VADFeatures {
        let r = correlation.pointer
        let rows = blockCorr.pointer
        for lag in 0...Self.maxLag where lag == 0 || lag >= Self.minLag {
            var sum: Float = 0
            for b in 0..<Self.blocks { sum += rows[b * Self.lagCount + lag] }
            r[lag] = sum
        }
        var low: Float = 0
        var high: Float = 0
        for b in 0..<Self.blocks {
            low += blockLow[b]
            high += blockHigh[b]
        }
        let lowLevel = Self.decibels(low / Float(Self.window))
        let highLevel = Self.decibels(high / Float(Self.blocks * hop))
        let e0 = r[0]
        let emphasisedLevel = Self.decibels(e0 / Float(Self.window))
        lastLevels = (lowLevel, highLevel, emphasisedLevel)
        // Until the 50 ms window is full its levels climb from silence; a floor taken from them would
        // start too low and call the first sound "above the background". Start the floors at the
        // level of the first full window instead.
        hopsSeen += 1
        if hopsSeen <= Self.blocks {
            lowFloor.reset()
            highFloor.reset()
            emphasisedFloor.reset()
        }
        let lowNoise = lowFloor.update(lowLevel, speech: speech)
        let highNoise = highFloor.update(highLevel, speech: speech)
        let emphasisedNoise = emphasisedFloor.update(emphasisedLevel, speech: speech)

        var harmonicity: Float = 0
        var bestLag = 0
        var correlationSpread: Float = 0
        var correlationTrough: Float = 0
        if e0 > 1e-9 {
            // Energies of the window shifted back by each lag, from prefix sums of z².
            let count = Self.window + Self.maxLag
            let start = history.pointer + (end - count)
            let p = prefix.pointer
            p[0] = 0
            for i in 0..<count { p[i + 1] = p[i] + start[i] * start[i] }
            let noiseEnergy = min(e0, Self.power(emphasisedNoise) * Float(Self.window))
            var best: Float = 0
            var spread: Float = 0
            var trough: Float = 1
            let inverse = 1 / e0
            for lag in Self.minLag...Self.maxLag {
                let lagged = p[count - lag] - p[Self.maxLag - lag]
                let value = (r[lag] - noiseShape[lag] * noiseEnergy) / (0.5 * (e0 + lagged))
                if value > best {
                    best = value
                    bestLag = lag
                }
                let plain = r[lag] * inverse
                spread += abs(plain)
                trough = min(trough, plain)
            }
            harmonicity = min(best, 1)
            correlationSpread = spread / Float(Self.maxLag - Self.minLag + 1)
            correlationTrough = trough
        }
        var features = VADFeatures(
            harmonicity: harmonicity, lowBandSNR: lowLevel - lowNoise, highBandSNR: highLevel - highNoise,
            lowBandLevel: lowLevel, highBandLevel: highLevel)
        features.pitchLag = Float(bestLag)
        features.correlationSpread = correlationSpread
        features.correlationTrough = correlationTrough
        return features
    }

    @inline(__always)
    static func decibels(_ meanSquare: Float) -> Float { 10 * log10(meanSquare + 1e-10) }

    @inline(__always)
    static func power(_ decibels: Float) -> Float { pow(10, decibels / 10) }
}
