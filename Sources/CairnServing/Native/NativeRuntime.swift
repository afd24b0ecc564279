import CairnCore
import CairnInference
import CairnServingCore
import Foundation

/// Serves XGBoost, LightGBM and ONNX models with Cairn's own inference code (``CairnInference``):
/// no Python, no worker processes, predictions in the calling process.
///
/// ```swift
/// let model = try await NativeRuntime().load(folder: "/models/churn/3", label: "churn/3")
/// let out = try await model.predict(ScoringRequest(input: .frame(frame)))
/// ```
public struct NativeRuntime: ModelRuntime {
    /// Rows from which a call is moved off the caller's thread to a dispatch queue (smaller calls take
    /// microseconds and run in place).
    public var offloadRows: Int

    public init(offloadRows: Int = 256) { self.offloadRows = offloadRows }

    /// Why a model folder cannot be served natively, or nil when it can: no MLmodel, no supported
    /// flavor, or a model file the native readers refuse.
    public static func flavor(in folder: String) throws(InferenceError) -> (name: String, file: MLmodelFile) {
        guard let data = FileManager.default.contents(atPath: folder + "/MLmodel") else {
            throw .unsupported("the model folder has no MLmodel file")
        }
        let file = MLmodelFile(text: String(decoding: data, as: UTF8.self))
        guard let name = NativeFlavor.supported.first(where: { file.settings(of: $0) != nil }) else {
            let names = file.flavors.map(\.name).joined(separator: ", ")
            throw .unsupported(
                "its flavors (\(names.isEmpty ? "none" : names)) have no native runtime; native flavors are "
                    + NativeFlavor.supported.joined(separator: ", "))
        }
        return (name, file)
    }

    public func load(folder: String, label: String) async throws -> any LoadedModel {
        let started = ContinuousClock.now
        let (flavor, file) = try Self.flavor(in: folder)
        let model = try NativeFlavor.load(flavor: flavor, settings: file.settings(of: flavor) ?? [:]) { path in
            try Self.read(path, in: folder)
        }
        let signature = ModelSignature(inputs: file.inputsJSON, outputs: file.outputsJSON)
        return NativeLoadedModel(
            model: model, signature: signature, loadSeconds: (ContinuousClock.now - started).seconds,
            offloadRows: offloadRows)
    }

    /// The bytes of `path` inside `folder`; refuses paths that leave the folder.
    static func read(_ path: String, in folder: String) throws -> [UInt8] {
        let parts = path.split(separator: "/")
        guard !path.hasPrefix("/"), !parts.contains(".."), !parts.isEmpty else {
            throw InferenceError.unsupported("the MLmodel file names '\(path)', which is outside the model folder")
        }
        guard let data = FileManager.default.contents(atPath: folder + "/" + path) else {
            throw InferenceError.unsupported("the model file '\(path)' named in MLmodel is missing")
        }
        return [UInt8](data)
    }
}
