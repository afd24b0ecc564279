import Foundation

/// The speech probability of a hop: a small neural network (one hidden layer of softsign units,
/// x / (1 + |x|), and a logistic output) over the hop's ``VADFeatures``.
///
/// The built-in weights (``standard``) are produced by `bench/vad/train_model.py` from the tuning
/// split of the development corpus (`tests/speech/make_heldout.py`: synthetic voices, sentences and
/// noises of our own) and written to `VADModelWeights.swift`; the script is deterministic, so
/// running it again gives the same file. The held-out split is never used for training.
///
/// Inputs are the features in ``inputNames`` order, clamped to the ranges the corpus covers; the
/// training script folds their standardisation into the first layer. Evaluating the network
/// allocates nothing.
public struct VADModel: Sendable, Equatable {
    /// Number of inputs.
    public static let inputCount = 18
    /// The inputs, in order.
    public static let inputNames = [
        "harmonicity", "low_band_snr_db", "high_band_snr_db", "low_band_dbfs", "band_tilt_db",
        "correlation_spread", "correlation_trough", "level_deviation_db", "level_movement_db",
        "low_band_snr_mean_db", "low_band_snr_peak_db", "high_band_snr_peak_db", "harmonicity_mean",
        "pitch_steadiness", "high_band_db", "level_slope_db", "level_above_average_db",
        "level_below_peak_db",
    ]

    /// Hidden units.
    public let hiddenCount: Int
    /// First-layer weights, `hiddenCount` rows of `inputCount`.
    public let inputWeights: [Float]
    /// First-layer biases, one per hidden unit.
    public let hiddenBiases: [Float]
    /// Output weights, one per hidden unit.
    public let outputWeights: [Float]
    /// Output bias.
    public let outputBias: Float
    /// The first-layer weights by input: `inputCount` rows of `hiddenCount`.
    private let byInput: [Float]
    /// Most hidden units a network may have.
    public static let maxHiddenCount = 64

    /// A network from its weights; throws if the shapes do not agree.
    public init(
        hiddenCount: Int, inputWeights: [Float], hiddenBiases: [Float], outputWeights: [Float], outputBias: Float
    ) throws(VADModelError) {
        guard hiddenCount > 0, hiddenCount <= Self.maxHiddenCount, inputWeights.count == hiddenCount * Self.inputCount,
            hiddenBiases.count == hiddenCount, outputWeights.count == hiddenCount
        else {
            throw .shape(
                hidden: hiddenCount, inputWeights: inputWeights.count, hiddenBiases: hiddenBiases.count,
                outputWeights: outputWeights.count)
        }
        guard (inputWeights + hiddenBiases + outputWeights + [outputBias]).allSatisfy(\.isFinite) else {
            throw .notFinite
        }
        self.hiddenCount = hiddenCount
        self.inputWeights = inputWeights
        self.hiddenBiases = hiddenBiases
        self.outputWeights = outputWeights
        self.outputBias = outputBias
        byInput = (0..<(Self.inputCount * hiddenCount)).map { k in
            inputWeights[(k % hiddenCount) * Self.inputCount + k / hiddenCount]
        }
    }

    /// The network's inputs for one hop, in ``inputNames`` order (for training and inspection).
    public static func inputs(_ features: VADFeatures) -> [Float] {
        let x = inputVector(features)
        return (0..<inputCount).map { x[$0] }
    }

    /// The speech probability of one hop, 0…1.
    public func probability(_ features: VADFeatures) -> Float {
        let x = Self.inputVector(features)
        var hidden = InlineArray<64, Float>(repeating: 0)
        let count = hiddenCount
        byInput.withUnsafeBufferPointer { w in
            hiddenBiases.withUnsafeBufferPointer { b in
                for j in 0..<count { hidden[j] = b[j] }
            }
            // One input at a time over all hidden units: the inner loop runs over contiguous weights.
            for i in 0..<Self.inputCount {
                let xi = x[i]
                let row = i * count
                for j in 0..<count { hidden[j] += w[row + j] * xi }
            }
        }
        var logit = outputBias
        outputWeights.withUnsafeBufferPointer { v in
            for j in 0..<count { logit += v[j] * Self.activation(hidden[j]) }
        }
        return 1 / (1 + exp(-logit))
    }

    /// The hidden units' activation, softsign: x / (1 + |x|) (like tanh, but without an exponential).
    @inline(__always)
    static func activation(_ x: Float) -> Float { x / (1 + abs(x)) }

    @inline(__always)
    private static func inputVector(_ f: VADFeatures) -> InlineArray<18, Float> {
        func clamp(_ v: Float, _ low: Float, _ high: Float) -> Float { v.isNaN ? low : min(max(v, low), high) }
        return [
            clamp(f.harmonicity, -1, 1),
            clamp(f.lowBandSNR, -10, 50),
            clamp(f.highBandSNR, -10, 50),
            clamp(f.lowBandLevel, -100, 0),
            clamp(f.highBandLevel - f.lowBandLevel, -60, 60),
            clamp(f.correlationSpread, 0, 1),
            clamp(f.correlationTrough, -1, 1),
            clamp(f.levelDeviation, 0, 20),
            clamp(f.levelMovement, 0, 20),
            clamp(f.lowBandSNRMean, -10, 50),
            clamp(f.lowBandSNRPeak, -10, 50),
            clamp(f.highBandSNRPeak, -10, 50),
            clamp(f.harmonicityMean, -1, 1),
            clamp(f.pitchSteadiness, 0, 1),
            clamp(f.highBandLevel, -100, 20),
            clamp(f.levelSlope, -20, 20),
            clamp(f.levelAboveAverage, -60, 60),
            clamp(f.levelBelowPeak, 0, 100),
        ]
    }
}

/// Why a ``VADModel`` was rejected.
public enum VADModelError: Error, Equatable, CustomStringConvertible {
    case shape(hidden: Int, inputWeights: Int, hiddenBiases: Int, outputWeights: Int)
    case notFinite

    public var description: String {
        switch self {
        case .shape(let hidden, let inputWeights, let hiddenBiases, let outputWeights):
            "a VAD model has 1…\(VADModel.maxHiddenCount) hidden units; with \(hidden) it needs \(hidden * VADModel.inputCount) input weights, "
                + "\(hidden) hidden biases and \(hidden) output weights; got \(inputWeights), \(hiddenBiases) "
                + "and \(outputWeights)"
        case .notFinite: "a VAD model's weights must be finite numbers"
        }
    }
}
