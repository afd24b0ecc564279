import AsyncHTTPClient
import CairnCore
import Foundation
import NIOCore
import NIOHTTP1

extension TrackingClient {
    /// The experiment with `name`, created when missing; returns its id.
    public func experimentId(named name: String) async throws -> String {
        do {
            let json = try await call(.GET, "experiments/get-by-name", query: [("experiment_name", name)])
            guard let e = json["experiment"].flatMap(Experiment.init(json:)) else {
                throw MlflowError(.internalError, "Malformed experiment in the server's response.")
            }
            if e.lifecycleStage == .deleted {
                throw MlflowError.invalid("Experiment '\(name)' is deleted; restore it or choose another name.")
            }
            return e.experimentId
        } catch let e as MlflowError where e.code == .resourceDoesNotExist {
            let created = try await post("experiments/create") { $0.field("name", name) }
            guard let id = created["experiment_id"]?.text else {
                throw MlflowError(.internalError, "Malformed response to experiments/create.")
            }
            return id
        }
    }

    /// A run by its full id or by a unique prefix of it (the short ids `cairn` prints).
    public func run(idOrPrefix text: String) async throws -> Run {
        do {
            return try await run(id: text)
        } catch let error as MlflowError
            where error.code == .resourceDoesNotExist || error.code == .invalidParameterValue
        {
            // Only hex prefixes are looked up, so the filter below holds no user-chosen syntax.
            guard text.count >= 4, text.count < 32, text.allSatisfy(\.isHexDigit) else { throw error }
            let listed = try await post("experiments/search") { w in
                w.field("max_results", Int64(Limits.searchRunsMax))
                w.field("view_type", ViewType.all.rawValue)
            }
            let experimentIds = listed.list("experiments").compactMap { $0["experiment_id"]?.text }
            let prefix = text.lowercased()
            let matches = try await searchRuns(
                experimentIds: experimentIds, filter: "attributes.run_id LIKE '\(prefix)%'", viewType: .all
            ).filter { $0.info.runId.hasPrefix(prefix) }
            guard let first = matches.first else { throw error }
            guard matches.count == 1 else {
                throw MlflowError.invalid(
                    "The short id \(text) matches \(matches.count) runs ("
                        + matches.prefix(5).map(\.info.runId).joined(separator: ", ") + "); give more characters.")
            }
            return first
        }
    }

    /// An experiment by id.
    public func experiment(id: String) async throws -> Experiment {
        let json = try await call(.GET, "experiments/get", query: [("experiment_id", id)])
        return try Self.decode(json["experiment"], as: Experiment.init(json:))
    }

    /// Creates a run.
    public func createRun(experimentId: String, name: String?, userId: String, startTime: Int64, tags: [KeyValue])
        async throws -> Run
    {
        let json = try await post("runs/create") { w in
            w.field("experiment_id", experimentId)
            w.field("run_name", name)
            w.field("user_id", userId)
            w.field("start_time", startTime)
            w.field("tags", tags)
        }
        return try Self.decode(json["run"], as: Run.init(json:))
    }

    /// Logs metrics, params and tags in batches the server accepts.
    public func logBatch(runId: String, metrics: [Metric] = [], params: [KeyValue] = [], tags: [KeyValue] = [])
        async throws
    {
        var m = metrics[...]
        var p = params[...]
        var t = tags[...]
        repeat {
            let pc = min(p.count, Limits.batchParams)
            let tc = min(t.count, Limits.batchTags)
            let mc = min(m.count, Limits.batchTotal - pc - tc)
            let (mb, pb, tb) = (m.prefix(mc), p.prefix(pc), t.prefix(tc))
            m = m.dropFirst(mc)
            p = p.dropFirst(pc)
            t = t.dropFirst(tc)
            _ = try await post("runs/log-batch") { w in
                w.field("run_id", runId)
                w.field("metrics", Array(mb))
                w.field("params", Array(pb))
                w.field("tags", Array(tb))
            }
        } while !m.isEmpty || !p.isEmpty || !t.isEmpty
    }

    /// Sets a run's status and end time.
    public func finishRun(id: String, status: RunStatus, endTime: Int64) async throws {
        _ = try await post("runs/update") { w in
            w.field("run_id", id)
            w.field("status", status.rawValue)
            w.field("end_time", endTime)
        }
    }

    /// Records dataset inputs of a run.
    public func logInputs(runId: String, datasets: [DatasetInput]) async throws {
        _ = try await post("runs/log-inputs") { w in
            w.field("run_id", runId)
            w.field("datasets", datasets)
        }
    }

    /// Every run matching a search, following page tokens (up to `limit`).
    public func searchRuns(
        experimentIds: [String], filter: String = "", orderBy: [String] = [], viewType: ViewType = .activeOnly,
        limit: Int = 100_000
    ) async throws -> [Run] {
        var runs: [Run] = []
        var token: String?
        repeat {
            let json = try await post("runs/search") { w in
                w.key("experiment_ids")
                w.array { w in
                    for id in experimentIds { w.value(id) }
                }
                w.field("filter", filter)
                w.field("run_view_type", viewType.rawValue)
                w.field("max_results", Int64(min(Limits.searchRunsDefault, limit - runs.count)))
                if !orderBy.isEmpty {
                    w.key("order_by")
                    w.array { w in
                        for o in orderBy { w.value(o) }
                    }
                }
                w.field("page_token", token)
            }
            runs += json.list("runs").compactMap(Run.init(json:))
            token = json["next_page_token"]?.text
        } while token != nil && runs.count < limit
        return runs
    }

    /// Uploads one local file to `artifactPath` under the run's artifact root.
    ///
    /// Proxied roots (`mlflow-artifacts:`) go through the server; local roots (`file://` or a
    /// path) are written directly.
    public func uploadArtifact(runArtifactUri: String, localFile: String, artifactPath: String) async throws {
        let relative = try ArtifactPath.segments(artifactPath).joined(separator: "/")
        if runArtifactUri.hasPrefix("mlflow-artifacts:") {
            let root = try Self.proxyPath(runArtifactUri)
            let encoded = (root + "/" + relative).split(separator: "/").map { Self.encode(String($0)) }
                .joined(separator: "/")
            var request = HTTPClientRequest(url: baseURL + "/api/2.0/mlflow-artifacts/artifacts/" + encoded)
            request.method = .PUT
            let data = try Data(contentsOf: URL(fileURLWithPath: localFile))
            request.body = .bytes(ByteBuffer(bytes: data))
            request.headers.add(name: "Content-Type", value: "application/octet-stream")
            let response = try await send(request, timeout: .minutes(30))
            guard response.status == .ok else {
                throw MlflowError(.internalError, "Uploading \(artifactPath) failed with HTTP \(response.status.code).")
            }
            return
        }
        var base = runArtifactUri
        if base.hasPrefix("file://") { base = String(base.dropFirst("file://".count)) }
        guard base.hasPrefix("/") else {
            throw MlflowError.invalid(
                "Artifacts of this run live at \(runArtifactUri); only mlflow-artifacts: and local roots are supported."
            )
        }
        let destination = base + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: destination) {
            try FileManager.default.removeItem(atPath: destination)
        }
        try FileManager.default.copyItem(atPath: localFile, toPath: destination)
    }

    /// Reads a small artifact of a run into memory.
    public func readArtifact(runArtifactUri: String, artifactPath: String) async throws -> Data {
        let relative = try ArtifactPath.segments(artifactPath).joined(separator: "/")
        if runArtifactUri.hasPrefix("mlflow-artifacts:") {
            let root = try Self.proxyPath(runArtifactUri)
            let encoded = (root + "/" + relative).split(separator: "/").map { Self.encode(String($0)) }
                .joined(separator: "/")
            let response = try await send(
                HTTPClientRequest(url: baseURL + "/api/2.0/mlflow-artifacts/artifacts/" + encoded),
                timeout: .minutes(10))
            let body = try await response.body.collect(upTo: 1 << 30)
            guard response.status == .ok else {
                throw MlflowError.notFound("Artifact '\(artifactPath)' not found for this run.")
            }
            return Data(body.readableBytesView)
        }
        var base = runArtifactUri
        if base.hasPrefix("file://") { base = String(base.dropFirst("file://".count)) }
        guard let data = FileManager.default.contents(atPath: base + "/" + relative) else {
            throw MlflowError.notFound("Artifact '\(artifactPath)' not found for this run.")
        }
        return data
    }

    /// Lists every file under `artifactPath` of a run (relative paths), recursively.
    public func listRunArtifacts(runArtifactUri: String, artifactPath: String) async throws -> [String] {
        let relative = try ArtifactPath.segments(artifactPath).joined(separator: "/")
        if runArtifactUri.hasPrefix("mlflow-artifacts:") {
            let root = try Self.proxyPath(runArtifactUri) + (relative.isEmpty ? "" : "/" + relative)
            var result: [String] = []
            var pending = [""]
            while let sub = pending.popLast() {
                for f in try await listArtifacts(proxyPath: sub.isEmpty ? root : root + "/" + sub) {
                    let child = sub.isEmpty ? f.path : sub + "/" + f.path
                    if f.isDirectory { pending.append(child) } else { result.append(child) }
                }
            }
            return result.sorted()
        }
        var base = runArtifactUri
        if base.hasPrefix("file://") { base = String(base.dropFirst("file://".count)) }
        let dir = base + "/" + relative
        guard let walker = FileManager.default.enumerator(atPath: dir) else { return [] }
        var result: [String] = []
        while let item = walker.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + item, isDirectory: &isDir), !isDir.boolValue {
                result.append(item)
            }
        }
        return result.sorted()
    }
}
