import CairnCore
import Foundation

/// Where imported artifacts live: referenced where MLflow recorded them, or copied into the Cairn
/// server's artifact folder and addressed as `mlflow-artifacts:/…` the way Cairn lays them out
/// (`<experiment>/<run>/artifacts`, `<experiment>/models/<model>/artifacts`). Only local folders are
/// moved: a remote location (`s3://…`, or `mlflow-artifacts:/…` of an MLflow server) keeps its URI.
struct ArtifactRelocator: Sendable {
    /// The Cairn server's `--artifacts-destination`, or nil to keep the recorded URIs.
    let destination: String?
    /// The folder relative artifact paths were recorded against.
    let baseDirectory: String

    /// The root new locations are written under.
    static let root = "mlflow-artifacts:/"

    /// What copying one artifact folder did.
    struct Outcome: Sendable, Equatable {
        var files = 0
        var missing = 0
        var remote = 0
    }

    /// The experiment's artifact location in Cairn.
    func experimentLocation(_ e: MLflowExperiment) -> String {
        moves(e.artifactLocation) ? ArtifactPath.join(Self.root, String(e.id)) : e.artifactLocation
    }

    /// Whether a recorded location is relocated: with a destination, and when it is on the local disk.
    func moves(_ uri: String) -> Bool { destination != nil && localPath(uri) != nil }

    /// The path below the destination where a run's artifacts go.
    static func runFolder(_ run: MLflowRun) -> String { "\(run.experimentId)/\(run.id)/artifacts" }

    /// The path below the destination where a logged model's artifacts go.
    static func modelFolder(_ m: MLflowLoggedModel) -> String { "\(m.experimentId)/models/\(m.id)/artifacts" }

    /// The run's artifact URI in Cairn.
    func runURI(_ run: MLflowRun) -> String {
        moves(run.artifactUri) ? Self.root + Self.runFolder(run) : run.artifactUri
    }

    /// The logged model's artifact URI in Cairn.
    func modelURI(_ m: MLflowLoggedModel) -> String {
        moves(m.artifactLocation) ? Self.root + Self.modelFolder(m) : m.artifactLocation
    }

    /// The local folder an artifact URI names, or nil for a remote one (`s3://`, `mlflow-artifacts:/`…).
    func localPath(_ uri: String) -> String? {
        var path: String
        if uri.hasPrefix("file://") {
            path = String(uri.dropFirst("file://".count))
            if !path.hasPrefix("/") { return nil }  // file://host/… names another machine
        } else if uri.hasPrefix("file:") {
            path = String(uri.dropFirst("file:".count))
        } else if uri.contains(":/") || uri.isEmpty {
            return nil
        } else {
            path = uri
        }
        path = path.removingPercentEncoding ?? path
        if !path.hasPrefix("/") { path = baseDirectory + "/" + path }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Copies the folder at `uri` to `folder` below the destination; files already there are kept.
    func copy(from uri: String, to folder: String) throws -> Outcome {
        guard let destination else { return Outcome() }
        guard let source = localPath(uri) else { return Outcome(remote: 1) }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDir), isDir.boolValue else {
            return Outcome(missing: 1)
        }
        let target = destination + "/" + folder
        var outcome = Outcome()
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: source) else { return Outcome(missing: 1) }
        try fm.createDirectory(atPath: target, withIntermediateDirectories: true)
        while let relative = walker.nextObject() as? String {
            let from = source + "/" + relative
            let to = target + "/" + relative
            guard let type = (try? fm.attributesOfItem(atPath: from))?[.type] as? FileAttributeType else { continue }
            if type == .typeDirectory {
                try fm.createDirectory(atPath: to, withIntermediateDirectories: true)
            } else if type == .typeRegular {
                if fm.fileExists(atPath: to) { continue }
                // Copied beside the final name and renamed, so an interrupted import leaves no half file.
                let partial = to + ".cairn-import-partial"
                try? fm.removeItem(atPath: partial)
                try fm.copyItem(atPath: from, toPath: partial)
                try fm.moveItem(atPath: partial, toPath: to)
                outcome.files += 1
            }
        }
        return outcome
    }

    /// A registry version's source with a relocated prefix replaced (`pairs` maps old URIs to new ones);
    /// `models:/` and `runs:/` sources and sources outside every relocated folder are kept.
    func rewrite(source: String, pairs: [(old: String, new: String)]) -> String {
        guard destination != nil, let path = localPath(source) else { return source }
        var best: (length: Int, replacement: String)?
        for pair in pairs {
            guard let old = localPath(pair.old) else { continue }
            if path == old || path.hasPrefix(old + "/") {
                if best == nil || old.count > best!.length {
                    best = (old.count, pair.new + String(path.dropFirst(old.count)))
                }
            }
        }
        return best?.replacement ?? source
    }
}
