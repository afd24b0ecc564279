/// A model evaluated by Cairn itself, without Python: gradient-boosted trees (XGBoost, LightGBM)
/// and ONNX graphs. Pure: it gets the model file's bytes and tables, and does no I/O.
///
/// ```swift
/// let model = try NativeFlavor.load(flavor: "xgboost", settings: settings) { path in bytes[path]! }
/// let out = try model.predict(Table(columns: [("f0", .double([0.5]))]))
/// ```
public protocol NativeModel: Sendable {
    /// The MLflow flavor it was loaded from (`xgboost`, `lightgbm`, `onnx`).
    var flavor: String { get }
    /// Input column names the model file records, in order (nil when it records none; then the
    /// table's columns are taken in order).
    var inputNames: [String]? { get }
    /// Number of input features (columns) the model expects.
    var inputCount: Int { get }
    /// Short facts for `/health` and logs (objective, trees, opset, …).
    var details: [(String, String)] { get }
    /// Predicts on `table`; the result has one entry per row, shaped as the flavor's pyfunc returns it.
    func predict(_ table: Table) throws(InferenceError) -> ModelOutput
}

/// Why a model could not be loaded or run.
public enum InferenceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The model file cannot be read natively (corrupt, unknown format or version, unsupported
    /// operator or objective); the message names what.
    case unsupported(String)
    /// The input does not fit the model (wrong column count, type); a client error.
    case badInput(String)

    public var description: String {
        switch self {
        case .unsupported(let m): m
        case .badInput(let m): m
        }
    }
}
