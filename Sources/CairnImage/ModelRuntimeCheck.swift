import CairnServing

/// Decides whether a model folder can be served by the native runtime (no Python in the image) or needs Python,
/// by the rule `cairn serve --runtime auto` applies: native when the native runtime loads it.
public enum ModelRuntimeCheck {
    /// `native` when the native runtime loads the model, else `python`.
    public static func runtime(folder: String) async -> String {
        (try? await NativeRuntime().load(folder: folder, label: "check")) != nil ? "native" : "python"
    }
}
