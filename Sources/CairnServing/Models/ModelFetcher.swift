import CairnClient
import CairnCore
import CairnRunner
import Crypto
import Foundation

/// A model ready on local disk: where its files are and which registry entry it is.
public struct FetchedModel: Sendable, Equatable {
    /// The model's name (registered name, logged model id, or folder name).
    public var name: String
    /// Its version as a string (`"3"`; `"1"` when the model is not a registered version).
    public var version: String
    /// The local folder holding `MLmodel` and the model's files.
    public var folder: String
    /// The URI it was resolved from.
    public var uri: String

    /// `name/version`, as the `Cairn-Model` header and logs show it.
    public var label: String { "\(name)/\(version)" }
}

/// Resolves model URIs through the registry and keeps downloaded models in a cache folder keyed by
/// where they are stored, so a version is downloaded once and a restart is fast.
///
/// ```swift
/// let fetcher = ModelFetcher(client: try TrackingClient(uri: "http://127.0.0.1:5000"), cache: "~/.cache/cairn/models")
/// let model = try await fetcher.fetch("models:/churn@champion")   // FetchedModel(name: "churn", version: "3", …)
/// ```
public struct ModelFetcher: Sendable {
    let client: TrackingClient?
    /// The cache folder.
    public let cache: String

    public init(client: TrackingClient?, cache: String) {
        self.client = client
        self.cache = cache
    }

    /// The default cache: `$XDG_CACHE_HOME/cairn/models`, else `~/.cache/cairn/models`.
    public static var defaultCache: String { CacheFolder.path("models") }

    /// Whether `uri` names a local folder rather than a registry or run URI.
    public static func isLocalFolder(_ uri: String) -> Bool {
        !(uri.hasPrefix("models:/") || uri.hasPrefix("runs:/"))
    }

    /// Resolves `uri` and makes its files available locally; `progress` hears about downloads.
    public func fetch(_ uri: String, progress: @Sendable (String) -> Void = { _ in }) async throws -> FetchedModel {
        if Self.isLocalFolder(uri) {
            let path = uri.hasPrefix("file://") ? String(uri.dropFirst("file://".count)) : uri
            let folder = URL(fileURLWithPath: path).standardizedFileURL.path
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
                throw MlflowError.notFound("No model folder at '\(path)'.")
            }
            guard FileManager.default.fileExists(atPath: folder + "/MLmodel") else {
                throw MlflowError.invalid("'\(path)' is not an MLflow model: it has no MLmodel file.")
            }
            return FetchedModel(name: (folder as NSString).lastPathComponent, version: "1", folder: folder, uri: uri)
        }
        guard let client else {
            throw MlflowError.invalid(
                "'\(uri)' needs a tracking server: pass --tracking-uri or set MLFLOW_TRACKING_URI.")
        }
        let parsed = try ModelURI(parsing: uri)
        let resolved = try await ModelResolver(lookup: client).resolve(parsed)
        let name: String
        let version: String
        if let v = resolved.version {
            name = v.name
            version = String(v.version)
        } else if let id = resolved.loggedModelId {
            name = id
            version = "1"
        } else if case .run(let runId, let path) = parsed {
            name = path.isEmpty ? runId : (path as NSString).lastPathComponent
            version = String(runId.prefix(8))
        } else {
            name = "model"
            version = "1"
        }
        let folder = try await download(resolved.artifactUri, progress: progress)
        return FetchedModel(name: name, version: version, folder: folder, uri: uri)
    }

    /// The registered version an alias points at now (for blue/green watching).
    public func aliasVersion(name: String, alias: String) async throws -> Int64 {
        guard let client else { throw MlflowError.invalid("Watching an alias needs a tracking server.") }
        return try await client.modelVersion(name: name, alias: alias).version
    }

    /// Downloads an artifact location into the cache unless it is there already; returns the folder.
    func download(_ artifactUri: String, progress: @Sendable (String) -> Void) async throws -> String {
        guard let client else { throw MlflowError.invalid("Downloading needs a tracking server.") }
        let digest = SHA256.hash(data: Data(artifactUri.utf8)).map { String(format: "%02x", $0) }.joined()
        let folder = cache + "/" + digest.prefix(24)
        let marker = folder + "/.cairn-complete"
        if FileManager.default.fileExists(atPath: marker) { return folder }
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        let staging = cache + "/.partial-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: staging) }
        progress("Downloading \(artifactUri)")
        let files = try await client.downloadArtifacts(uri: artifactUri, to: staging) { path, size in
            progress("  \(path) (\(size) bytes)")
        }
        guard !files.isEmpty else { throw MlflowError.notFound("No files found at \(artifactUri).") }
        guard FileManager.default.fileExists(atPath: staging + "/MLmodel") else {
            throw MlflowError.invalid("\(artifactUri) is not an MLflow model: it has no MLmodel file.")
        }
        FileManager.default.createFile(atPath: staging + "/.cairn-complete", contents: Data(artifactUri.utf8))
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.moveItem(atPath: staging, toPath: folder)
        return folder
    }
}
