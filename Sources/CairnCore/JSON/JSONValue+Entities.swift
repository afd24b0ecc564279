/// Reading API responses back into entities (used by the HTTP client).
extension JSONValue {
    /// The value at `key` of an object.
    public subscript(key: String) -> JSONValue? { objectValue?[key] }

    /// A string, or the decimal form of a number.
    public var text: String? {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        default: nil
        }
    }

    /// An int64 from a number or numeric string.
    public var int64: Int64? {
        switch self {
        case .int(let i): i
        case .double(let d) where d == d.rounded(): Int64(exactly: d)
        case .string(let s): Int64(s)
        default: nil
        }
    }

    /// A double, including the NaN/Infinity strings.
    public var double: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        case .string("NaN"): .nan
        case .string("Infinity"): .infinity
        case .string("-Infinity"): -.infinity
        case .string(let s): Double(s)
        default: nil
        }
    }

    /// The elements of an array field (empty when absent).
    public func list(_ key: String) -> [JSONValue] { self[key]?.arrayValue ?? [] }

    /// `[{key, value}]` pairs of a field.
    public func keyValues(_ key: String) -> [KeyValue] {
        list(key).compactMap { e in e["key"]?.text.map { KeyValue($0, e["value"]?.text ?? "") } }
    }
}

extension Metric {
    /// Reads a metric object.
    public init?(json: JSONValue) {
        guard let key = json["key"]?.text, let value = json["value"]?.double else { return nil }
        self.init(
            key: key, value: value, timestamp: json["timestamp"]?.int64 ?? 0, step: json["step"]?.int64 ?? 0,
            modelId: json["model_id"]?.text, datasetName: json["dataset_name"]?.text,
            datasetDigest: json["dataset_digest"]?.text, runId: json["run_id"]?.text)
    }
}

extension Experiment {
    /// Reads an experiment object.
    public init?(json: JSONValue) {
        guard let id = json["experiment_id"]?.text, let name = json["name"]?.text else { return nil }
        self.init(
            experimentId: id, name: name, artifactLocation: json["artifact_location"]?.text ?? "",
            lifecycleStage: LifecycleStage(rawValue: json["lifecycle_stage"]?.text ?? "") ?? .active,
            creationTime: json["creation_time"]?.int64 ?? 0, lastUpdateTime: json["last_update_time"]?.int64 ?? 0,
            tags: json.keyValues("tags"))
    }
}

extension Run {
    /// Reads a run object.
    public init?(json: JSONValue) {
        guard let info = json["info"], let runId = info["run_id"]?.text ?? info["run_uuid"]?.text else { return nil }
        let data = json["data"] ?? .object([:])
        let inputs = json["inputs"] ?? .object([:])
        self.init(
            info: RunInfo(
                runId: runId, runName: info["run_name"]?.text ?? "", experimentId: info["experiment_id"]?.text ?? "",
                userId: info["user_id"]?.text ?? "", status: RunStatus(wire: info["status"]?.text ?? "") ?? .running,
                startTime: info["start_time"]?.int64 ?? 0, endTime: info["end_time"]?.int64,
                artifactUri: info["artifact_uri"]?.text ?? "",
                lifecycleStage: LifecycleStage(rawValue: info["lifecycle_stage"]?.text ?? "") ?? .active),
            metrics: data.list("metrics").compactMap(Metric.init(json:)), params: data.keyValues("params"),
            tags: data.keyValues("tags"),
            datasetInputs: inputs.list("dataset_inputs").compactMap { e in
                guard let d = e["dataset"] else { return nil }
                return DatasetInput(
                    tags: e.keyValues("tags"),
                    dataset: Dataset(
                        name: d["name"]?.text ?? "", digest: d["digest"]?.text ?? "",
                        sourceType: d["source_type"]?.text ?? "", source: d["source"]?.text ?? "",
                        schema: d["schema"]?.text, profile: d["profile"]?.text))
            },
            modelInputs: inputs.list("model_inputs").compactMap {
                $0["model_id"]?.text.map { ModelReference(modelId: $0) }
            },
            modelOutputs: (json["outputs"] ?? .object([:])).list("model_outputs").compactMap { e in
                e["model_id"]?.text.map { ModelReference(modelId: $0, step: e["step"]?.int64) }
            })
    }
}

extension ModelVersion {
    /// Reads a model version object.
    public init?(json: JSONValue) {
        guard let name = json["name"]?.text, let version = json["version"]?.int64 else { return nil }
        self.init(
            name: name, version: version, creationTimestamp: json["creation_timestamp"]?.int64 ?? 0,
            lastUpdatedTimestamp: json["last_updated_timestamp"]?.int64 ?? 0, userId: json["user_id"]?.text,
            currentStage: ModelStage(caseInsensitive: json["current_stage"]?.text ?? "None") ?? .none,
            description: json["description"]?.text ?? "", source: json["source"]?.text ?? "",
            runId: json["run_id"]?.text.flatMap { $0.isEmpty ? nil : $0 },
            status: ModelVersionStatus(rawValue: json["status"]?.text ?? "") ?? .ready,
            statusMessage: json["status_message"]?.text, tags: json.keyValues("tags"),
            runLink: json["run_link"]?.text ?? "", aliases: json.list("aliases").compactMap(\.text),
            modelId: json["model_id"]?.text)
    }
}

extension RegisteredModel {
    /// Reads a registered model object.
    public init?(json: JSONValue) {
        guard let name = json["name"]?.text else { return nil }
        self.init(
            name: name, creationTimestamp: json["creation_timestamp"]?.int64 ?? 0,
            lastUpdatedTimestamp: json["last_updated_timestamp"]?.int64 ?? 0, userId: json["user_id"]?.text,
            description: json["description"]?.text,
            latestVersions: json.list("latest_versions").compactMap(ModelVersion.init(json:)),
            tags: json.keyValues("tags"),
            aliases: json.list("aliases").compactMap { a in
                guard let alias = a["alias"]?.text, let v = a["version"]?.int64 else { return nil }
                return (alias: alias, version: v)
            })
    }
}
