import CairnCore

/// MLflow's rules for the model registry, checked by every backend.
///
/// ```swift
/// try RegistryRules.checkTransition(to: .production, archiveExisting: true)
/// let (negated, comparator) = RegistryRules.tagCondition(key: key, comparator: .notEqual)
/// ```
public enum RegistryRules {
    /// The tag that marks prompt entries of the registry.
    public static let promptTag = "mlflow.prompt.is_prompt"
    /// The logged-model tag listing the registry versions made from it.
    public static let registrationsTag = "mlflow.modelVersions"

    /// The error for an unknown registered model.
    public static func modelNotFound(_ name: String) -> MlflowError {
        .notFound("Registered Model with name=\(name) not found")
    }

    /// The error for an unknown version.
    public static func versionNotFound(_ name: String, _ version: Int64) -> MlflowError {
        .notFound("Model Version (name=\(name), version=\(version)) not found")
    }

    /// The error for a second model of one name.
    public static func modelExists(_ name: String) -> MlflowError {
        MlflowError(.resourceAlreadyExists, "Registered Model (name=\(name)) already exists.")
    }

    /// The error for an unknown logged model.
    public static func loggedModelNotFound(_ id: String) -> MlflowError {
        .notFound("Logged model with ID '\(id)' not found.")
    }

    /// Archiving the others only makes sense when moving into Staging or Production.
    public static func checkTransition(to stage: ModelStage, archiveExisting: Bool) throws(MlflowError) {
        if archiveExisting && !(stage == .staging || stage == .production) {
            throw .invalid(
                "Model version transition cannot archive existing model versions because '\(stage.rawValue)' is not "
                    + "an Active stage. Valid stages are Staging and Production.")
        }
    }

    /// The logged model a new version comes from: the given id, else the one a `models:/m-…` source names.
    public static func loggedModelId(of new: NewModelVersion) -> String? {
        if let id = new.modelId, !id.isEmpty { return id }
        if case .loggedModel(let id)? = try? ModelURI(parsing: new.source) { return id }
        return nil
    }

    /// A tag filter on registry entries: `!=` needs the tag to exist, except the prompt marker the
    /// client adds to every search, which models without it pass (they are not prompts). Returns
    /// whether to negate an existence test and the comparator to use inside it.
    public static func tagCondition(key: String, comparator: Comparator) -> (negated: Bool, comparator: Comparator) {
        let negated = comparator == .notEqual && key == promptTag
        return (negated, negated ? .equal : comparator)
    }

    /// The `mlflow.modelVersions` tag value after registering `name`/`version`: the current JSON
    /// list with `{"name": …, "version": N}` appended.
    public static func registrations(appending name: String, version: Int64, to current: String?) -> String {
        var entries: [JSONValue] = []
        if let current, case .array(let existing)? = try? JSONParser.parse(current) { entries = existing }
        entries.append(.object(["name": .string(name), "version": .int(version)]))
        var w = JSONWriter()
        w.array { w in
            for e in entries {
                guard case .object(let o) = e else { continue }
                w.object { w in
                    for (k, v) in o.sorted(by: { $0.key < $1.key }) {
                        w.key(k)
                        switch v {
                        case .string(let s): w.value(s)
                        case .int(let i): w.value(i)
                        case .double(let d): w.value(d)
                        case .bool(let b): w.value(b)
                        default: w.raw("null")
                        }
                    }
                }
            }
        }
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
