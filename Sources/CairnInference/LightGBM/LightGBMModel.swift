/// A LightGBM model read from the text file `mlflow.lightgbm` saves for a `lightgbm.Booster`
/// (`model.lgb`), predicting as `Booster.predict` does: double-precision sums of all trees, then the
/// objective's transform (1-D for one output, `rows × classes` for multiclass).
public struct LightGBMModel: NativeModel {
    /// Always `lightgbm`.
    public let flavor = "lightgbm"
    /// The feature names the model file records, nil when it records none.
    public let inputNames: [String]?
    /// Number of features the trees read.
    public let inputCount: Int
    /// The output transform.
    let objective: LightGBMObjective
    /// The trees.
    let forest: FlatForest
    /// Random-forest mode: the sum is divided by the number of iterations.
    let averageOutput: Bool

    /// Objective, tree count, feature count and file facts.
    public var details: [(String, String)] {
        [
            ("objective", objective.name), ("trees", "\(forest.treeCount)"), ("features", "\(inputCount)"),
            ("linear_trees", forest.linear == nil ? "no" : "yes"),
        ]
    }

    /// Loads the model from its text (`model.lgb`).
    public init(text bytes: [UInt8]) throws(InferenceError) {
        let file = try LightGBMModelText(bytes: bytes)
        objective = file.objective
        forest = file.forest
        inputNames = file.featureNames
        inputCount = file.forest.featureCount
        averageOutput = file.averageOutput
    }

    /// Predicts every row of `table` (see the type's summary for the output's shape and type).
    public func predict(_ table: Table) throws(InferenceError) -> ModelOutput {
        let n = table.rowCount
        let groups = forest.groupCount
        let rows = try FeatureMatrix.rows(of: table, names: inputNames, count: inputCount, float32: false)
        var scores = forest.margins(rows: rows, rowCount: n, base: [Double](repeating: 0, count: groups))
        let iterations = Double(max(1, forest.treeCount / groups))
        scores.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for r in 0..<n {
                if averageOutput {
                    for g in 0..<groups { base[r * groups + g] /= iterations }
                }
                objective.transform(base + r * groups, count: groups)
            }
        }
        let shape = groups > 1 ? [n, groups] : [n]
        return .array(Tensor(shape: shape, values: .double(scores)))
    }
}
