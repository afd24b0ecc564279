extension LightGBMModel {
    /// Loads the model a `lightgbm` flavor describes (`data`, `model_class`). Only `lightgbm.Booster`
    /// models are saved as text; the scikit-learn wrappers are pickled and stay with Python.
    static func load(
        settings: [String: String], read: (String) throws -> [UInt8]
    ) throws(InferenceError) -> LightGBMModel {
        let modelClass = settings["model_class"] ?? "lightgbm.basic.Booster"
        guard modelClass == "lightgbm.basic.Booster" else {
            throw .unsupported(
                "LightGBM model class '\(modelClass)' is a pickled scikit-learn model, which Cairn does not "
                    + "unpickle; log the Booster (model.booster_) to serve it natively")
        }
        guard let data = settings["data"] else { throw .unsupported("the lightgbm flavor names no 'data' file") }
        let bytes: [UInt8]
        do { bytes = try read(data) } catch { throw .unsupported("cannot read the LightGBM model '\(data)': \(error)") }
        return try LightGBMModel(text: bytes)
    }
}
