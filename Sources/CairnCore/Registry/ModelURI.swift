/// A reference to model files, as users and the mlflow client write them.
///
/// ```swift
/// try ModelURI(parsing: "models:/churn/3")          // .version(name: "churn", version: 3)
/// try ModelURI(parsing: "models:/churn@champion")   // .alias(name: "churn", alias: "champion")
/// try ModelURI(parsing: "models:/churn/Production") // .stage(name: "churn", stage: .production)
/// try ModelURI(parsing: "models:/m-0123...")        // .loggedModel(id: "m-0123...")
/// try ModelURI(parsing: "runs:/abc123/model")       // .run(runId: "abc123", path: "model")
/// ```
public enum ModelURI: Sendable, Equatable, CustomStringConvertible {
    case version(name: String, version: Int64)
    case alias(name: String, alias: String)
    case stage(name: String, stage: ModelStage)
    /// The highest version of a model, whatever its stage.
    case latest(name: String)
    case loggedModel(id: String)
    case run(runId: String, path: String)

    /// Parses a `models:/` or `runs:/` URI.
    public init(parsing text: String) throws(MlflowError) {
        func bad(_ why: String) -> MlflowError { .invalid("Invalid model URI '\(text)': \(why)") }
        if text.hasPrefix("runs:/") {
            let rest = text.dropFirst("runs:/".count).drop { $0 == "/" }
            let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true)
            guard let run = parts.first, !run.isEmpty else { throw bad("expected runs:/<run_id>/<path>.") }
            let path = parts.count > 1 ? String(parts[1]).trimmingSlashes : ""
            self = .run(runId: String(run), path: path)
            return
        }
        guard text.hasPrefix("models:/") else { throw bad("expected a models:/ or runs:/ URI.") }
        let rest = String(text.dropFirst("models:/".count).drop { $0 == "/" }).trimmingSlashes
        guard !rest.isEmpty else { throw bad("the model name is missing.") }
        if let at = rest.lastIndex(of: "@"), !rest.contains("/") {
            let name = String(rest[..<at])
            let alias = String(rest[rest.index(after: at)...])
            guard !name.isEmpty, !alias.isEmpty else { throw bad("expected models:/<name>@<alias>.") }
            self = .alias(name: name, alias: alias)
            return
        }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if parts.count == 1 {
            guard parts[0].hasPrefix("m-") else {
                throw bad("expected models:/<name>/<version|stage|latest>, models:/<name>@<alias> or models:/m-<id>.")
            }
            self = .loggedModel(id: parts[0])
            return
        }
        guard parts.count == 2 else { throw bad("too many path segments.") }
        let (name, suffix) = (parts[0], parts[1])
        if let v = Int64(suffix), v > 0 {
            self = .version(name: name, version: v)
        } else if suffix.lowercased() == "latest" {
            self = .latest(name: name)
        } else if let stage = ModelStage(caseInsensitive: suffix) {
            self = .stage(name: name, stage: stage)
        } else {
            throw bad(
                "'\(suffix)' is neither a version number, a stage (None, Staging, Production, Archived) nor 'latest'.")
        }
    }

    public var description: String {
        switch self {
        case .version(let n, let v): "models:/\(n)/\(v)"
        case .alias(let n, let a): "models:/\(n)@\(a)"
        case .stage(let n, let s): "models:/\(n)/\(s.rawValue)"
        case .latest(let n): "models:/\(n)/latest"
        case .loggedModel(let id): "models:/\(id)"
        case .run(let r, let p): p.isEmpty ? "runs:/\(r)" : "runs:/\(r)/\(p)"
        }
    }
}

extension String {
    var trimmingSlashes: String {
        var s = Substring(self)
        while s.hasPrefix("/") { s = s.dropFirst() }
        while s.hasSuffix("/") { s = s.dropLast() }
        return String(s)
    }
}

/// What a resolver needs to look up; implemented by the store (inside the server) and by the
/// HTTP client (in the CLI).
public protocol ModelLookup: Sendable {
    /// A version by number; 404 when absent.
    func modelVersion(name: String, version: Int64) async throws -> ModelVersion
    /// The version an alias points at; 404 when absent.
    func modelVersion(name: String, alias: String) async throws -> ModelVersion
    /// The latest version in each of `stages` (all stages when empty).
    func latestVersions(name: String, stages: [ModelStage]) async throws -> [ModelVersion]
    /// The artifact URI of a logged model.
    func loggedModelArtifactUri(id: String) async throws -> String
    /// The artifact URI of a run.
    func runArtifactUri(runId: String) async throws -> String
    /// The MLflow 3 logged model a run produced under `name` (`log_model(name=…)`), if any.
    func loggedModelId(runId: String, name: String) async throws -> String?
}

/// Where a model URI points.
public struct ModelResolution: Sendable, Equatable {
    /// The storage URI of the model files (e.g. `mlflow-artifacts:/1/models/m-…/artifacts`).
    public var artifactUri: String
    /// The registered version, when the URI named one.
    public var version: ModelVersion?
    /// The logged model id, when known.
    public var loggedModelId: String?
}

/// Turns `models:/…` and `runs:/…` URIs into storage locations — the one place Cairn does this.
public struct ModelResolver: Sendable {
    let lookup: any ModelLookup

    /// Creates a resolver over a lookup.
    public init(lookup: any ModelLookup) {
        self.lookup = lookup
    }

    /// Resolves a parsed URI.
    public func resolve(_ uri: ModelURI) async throws -> ModelResolution {
        switch uri {
        case .version(let name, let version):
            return try await resolve(version: try await lookup.modelVersion(name: name, version: version))
        case .alias(let name, let alias):
            return try await resolve(version: try await lookup.modelVersion(name: name, alias: alias))
        case .stage(let name, let stage):
            guard
                let v = try await lookup.latestVersions(name: name, stages: [stage]).max(by: { $0.version < $1.version }
                )
            else {
                throw MlflowError.notFound(
                    "No versions of model with name '\(name)' and stage '\(stage.rawValue)' found")
            }
            return try await resolve(version: v)
        case .latest(let name):
            guard let v = try await lookup.latestVersions(name: name, stages: []).max(by: { $0.version < $1.version })
            else { throw MlflowError.notFound("No versions of model with name '\(name)' found") }
            return try await resolve(version: v)
        case .loggedModel(let id):
            return ModelResolution(
                artifactUri: try await lookup.loggedModelArtifactUri(id: id), version: nil, loggedModelId: id)
        case .run(let runId, let path):
            // MLflow 3 keeps a model logged in a run as a logged model named after the path's first
            // segment, outside the run's artifacts; older models are plain run artifacts.
            let segments = path.split(separator: "/", maxSplits: 1).map(String.init)
            if let name = segments.first, let id = try await lookup.loggedModelId(runId: runId, name: name) {
                let root = try await lookup.loggedModelArtifactUri(id: id)
                let rest = segments.count > 1 ? segments[1] : ""
                return ModelResolution(
                    artifactUri: rest.isEmpty ? root : ArtifactPath.join(root, rest), version: nil, loggedModelId: id)
            }
            let root = try await lookup.runArtifactUri(runId: runId)
            return ModelResolution(artifactUri: ArtifactPath.join(root, path), version: nil, loggedModelId: nil)
        }
    }

    /// Resolves the storage location of a version from its source.
    public func resolve(version: ModelVersion) async throws -> ModelResolution {
        if let inner = try? ModelURI(parsing: version.source) {
            switch inner {
            case .loggedModel, .run:
                var r = try await resolve(inner)
                r.version = version
                if r.loggedModelId == nil { r.loggedModelId = version.modelId }
                return r
            default:
                break
            }
        }
        return ModelResolution(artifactUri: version.source, version: version, loggedModelId: version.modelId)
    }
}
