// Placeholder until bench/vad/train_model.py writes this file.
extension VADModel {
    /// The built-in network (see ``VADModel``).
    public static let standard = try! VADModel(
        hiddenCount: 2,
        inputWeights: [10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.45, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        hiddenBiases: [-4, -1.35], outputWeights: [5, 5], outputBias: -5)
}
