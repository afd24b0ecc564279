extension XGBoostModel {
    /// Loads the model an `xgboost` flavor describes (`data`, `model_class`).
    static func load(
        settings: [String: String], read: (String) throws -> [UInt8]
    ) throws(InferenceError) -> XGBoostModel {
        guard let data = settings["data"] else { throw .unsupported("the xgboost flavor names no 'data' file") }
        let modelClass = settings["model_class"] ?? "xgboost.core.Booster"
        let bytes: [UInt8]
        do { bytes = try read(data) } catch { throw .unsupported("cannot read the XGBoost model '\(data)': \(error)") }
        return try XGBoostModel(bytes: bytes, modelClass: modelClass)
    }
}
