/// An XGBoost tree model read from the JSON or UBJSON file `mlflow.xgboost` saves, predicting as the
/// flavor's pyfunc does: the Booster's output (probabilities, margins or class indices as float32),
/// or the scikit-learn wrapper's (`XGBClassifier` labels, `XGBRegressor` values).
public struct XGBoostModel: NativeModel {
    /// How the MLflow model was logged (the flavor's `model_class`), which decides the output's shape.
    public enum Interface: Sendable, Equatable {
        /// `xgboost.core.Booster`: all trees, the objective's output.
        case booster
        /// `XGBClassifier`/`XGBRFClassifier`: class indices, trees up to `best_iteration`.
        case classifier
        /// `XGBRegressor`/`XGBRFRegressor`: values, trees up to `best_iteration`.
        case regressor
    }

    /// Always `xgboost`.
    public let flavor = "xgboost"
    /// The feature names the model file records, nil when it records none.
    public let inputNames: [String]?
    /// Number of features the trees read.
    public let inputCount: Int
    /// The objective.
    let objective: XGBoostObjective
    /// The model's interface.
    let interface: Interface
    /// The trees.
    let forest: FlatForest
    /// Per output group: the intercept in margin space.
    let baseMargin: [Float]
    /// `json` or `ubjson`, as detected from the bytes.
    let format: String

    /// Objective, tree count, feature count and file facts.
    public var details: [(String, String)] {
        [
            ("objective", objective.rawValue), ("trees", "\(forest.treeCount)"),
            ("features", "\(inputCount)"), ("format", format),
        ]
    }

    /// Loads the model from the bytes of its file, for the MLflow `model_class`.
    public init(bytes: [UInt8], modelClass: String) throws(InferenceError) {
        let interface: Interface
        switch modelClass {
        case "xgboost.core.Booster": interface = .booster
        case "xgboost.sklearn.XGBClassifier", "xgboost.sklearn.XGBRFClassifier": interface = .classifier
        case "xgboost.sklearn.XGBRegressor", "xgboost.sklearn.XGBRFRegressor": interface = .regressor
        default: throw .unsupported("XGBoost model class '\(modelClass)' has no native runtime")
        }
        let parsed = try XGBoostModelFile(bytes: bytes, honourBestIteration: interface != .booster)
        self.interface = interface
        objective = parsed.objective
        forest = parsed.forest
        baseMargin = parsed.baseMargin
        inputNames = parsed.featureNames
        inputCount = parsed.forest.featureCount
        format = parsed.format
    }

    /// Predicts every row of `table` (see the type's summary for the output's shape and type).
    public func predict(_ table: Table) throws(InferenceError) -> ModelOutput {
        let n = table.rowCount
        let rows = try FeatureMatrix.rows(of: table, names: inputNames, count: inputCount, float32: true)
        var margins = forest.margins(rows: rows, rowCount: n, base: baseMargin)
        let groups = forest.groupCount
        margins.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for r in 0..<n { objective.transform(base + r * groups, count: groups) }
        }
        switch interface {
        case .booster, .regressor:
            if groups > 1, objective == .softprob {
                return .array(Tensor(shape: [n, groups], values: .float(margins)))
            }
            if groups > 1 {
                let first = (0..<n).map { margins[$0 * groups] }
                return .array(Tensor(shape: [n], values: .float(first)))
            }
            return .array(Tensor(shape: [n], values: .float(margins)))
        case .classifier:
            var labels = [Int64](repeating: 0, count: n)
            for r in 0..<n {
                if objective == .softmax {
                    labels[r] = Int64(margins[r * groups])
                } else if groups > 1 {
                    var best = 0
                    for g in 1..<groups where margins[r * groups + g] > margins[r * groups + best] { best = g }
                    labels[r] = Int64(best)
                } else {
                    labels[r] = margins[r] > 0.5 ? 1 : 0
                }
            }
            return .array(Tensor(shape: [n], values: .int64(labels)))
        }
    }
}
