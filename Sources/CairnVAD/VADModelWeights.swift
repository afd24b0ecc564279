// Placeholder until bench/vad/train_model.py writes this file.
extension VADModel {
    /// The built-in network (see ``VADModel``).
    public static let standard = try! VADModel(
        hiddenCount: 2,
        inputWeights: [10] + [Float](repeating: 0, count: 17) + [0.45] + [Float](repeating: 0, count: 15),
        hiddenBiases: [-4, -1.35], outputWeights: [5, 5], outputBias: -5)
}
