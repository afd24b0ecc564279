/// Picks the native reader for an MLflow flavor.
public enum NativeFlavor {
    /// Flavors Cairn can evaluate natively, in order of preference when a model has several.
    public static let supported = ["xgboost", "lightgbm", "onnx"]

    /// Loads the model of `flavor`, whose `MLmodel` settings are `settings` (e.g. `data: model.ubj`,
    /// `model_class`, `model_format`); `read` returns the bytes of a file relative to the model folder.
    /// Throws ``InferenceError/unsupported(_:)`` naming the reason when this model cannot run natively
    /// (the caller then falls back to Python).
    public static func load(
        flavor: String, settings: [String: String], read: (String) throws -> [UInt8]
    ) throws -> any NativeModel {
        switch flavor {
        case "xgboost": return try XGBoostModel.load(settings: settings, read: read)
        case "lightgbm": return try LightGBMModel.load(settings: settings, read: read)
        case "onnx": return try ONNXModel(bytes: read(settings["data"] ?? "model.onnx"))
        default:
            throw InferenceError.unsupported("flavor '\(flavor)' has no native runtime")
        }
    }
}
