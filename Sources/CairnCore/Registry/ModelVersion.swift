/// A deployment stage of a model version.
public enum ModelStage: String, Sendable, CaseIterable {
    case none = "None"
    case staging = "Staging"
    case production = "Production"
    case archived = "Archived"

    /// Parses a stage name case-insensitively (`production` → `.production`).
    public init?(caseInsensitive text: String) {
        guard let stage = Self.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
            return nil
        }
        self = stage
    }

    /// The error for an unknown stage name.
    public static func invalid(_ text: String) -> MlflowError {
        .invalid(
            "Invalid Model Version stage: \(text). Value must be one of "
                + allCases.map(\.rawValue).joined(separator: ", ") + ".")
    }
}

/// The registration status of a model version.
public enum ModelVersionStatus: String, Sendable {
    case pendingRegistration = "PENDING_REGISTRATION"
    case failedRegistration = "FAILED_REGISTRATION"
    case ready = "READY"
}

/// One version of a registered model: a pointer to model files plus lineage.
public struct ModelVersion: Sendable, Equatable, JSONWritable {
    public var name: String
    /// The version number (written as a string on the wire).
    public var version: Int64
    public var creationTimestamp: Int64
    public var lastUpdatedTimestamp: Int64
    public var userId: String?
    public var currentStage: ModelStage
    public var description: String
    /// Where the model files are: `models:/m-…`, `runs:/…`, or a storage URI.
    public var source: String
    public var runId: String?
    public var status: ModelVersionStatus
    public var statusMessage: String?
    public var tags: [KeyValue]
    public var runLink: String
    public var aliases: [String]
    /// The logged model this version registers, if any.
    public var modelId: String?

    /// Creates a model version value.
    public init(
        name: String, version: Int64, creationTimestamp: Int64, lastUpdatedTimestamp: Int64, userId: String? = nil,
        currentStage: ModelStage = .none, description: String = "", source: String, runId: String? = nil,
        status: ModelVersionStatus = .ready, statusMessage: String? = nil, tags: [KeyValue] = [],
        runLink: String = "", aliases: [String] = [], modelId: String? = nil
    ) {
        self.name = name
        self.version = version
        self.creationTimestamp = creationTimestamp
        self.lastUpdatedTimestamp = lastUpdatedTimestamp
        self.userId = userId
        self.currentStage = currentStage
        self.description = description
        self.source = source
        self.runId = runId
        self.status = status
        self.statusMessage = statusMessage
        self.tags = tags
        self.runLink = runLink
        self.aliases = aliases
        self.modelId = modelId
    }

    public func write(to w: inout JSONWriter) {
        write(to: &w, includeAliases: true)
    }

    /// Writes the version; `latest_versions` inside a registered model leave aliases out.
    public func write(to w: inout JSONWriter, includeAliases: Bool) {
        w.object { w in
            w.field("name", name)
            w.field("version", String(version))
            w.field("creation_timestamp", creationTimestamp)
            w.field("last_updated_timestamp", lastUpdatedTimestamp)
            w.field("user_id", userId)
            w.field("current_stage", currentStage.rawValue)
            w.field("description", description)
            w.field("source", source)
            w.field("run_id", runId ?? "")
            w.field("status", status.rawValue)
            w.field("status_message", statusMessage)
            if !tags.isEmpty { w.field("tags", tags) }
            w.field("run_link", runLink)
            if includeAliases && !aliases.isEmpty {
                w.key("aliases")
                w.array { w in
                    for a in aliases { w.value(a) }
                }
            }
            w.field("model_id", modelId)
        }
    }
}

/// A named model with its versions' summary, tags and aliases.
public struct RegisteredModel: Sendable, Equatable, JSONWritable {
    public var name: String
    public var creationTimestamp: Int64
    public var lastUpdatedTimestamp: Int64
    public var userId: String?
    public var description: String?
    /// The latest version in each stage.
    public var latestVersions: [ModelVersion]
    public var tags: [KeyValue]
    /// Alias → version number.
    public var aliases: [(alias: String, version: Int64)]

    /// Creates a registered model value.
    public init(
        name: String, creationTimestamp: Int64, lastUpdatedTimestamp: Int64, userId: String? = nil,
        description: String? = nil, latestVersions: [ModelVersion] = [], tags: [KeyValue] = [],
        aliases: [(alias: String, version: Int64)] = []
    ) {
        self.name = name
        self.creationTimestamp = creationTimestamp
        self.lastUpdatedTimestamp = lastUpdatedTimestamp
        self.userId = userId
        self.description = description
        self.latestVersions = latestVersions
        self.tags = tags
        self.aliases = aliases
    }

    public static func == (a: RegisteredModel, b: RegisteredModel) -> Bool {
        a.name == b.name && a.creationTimestamp == b.creationTimestamp
            && a.lastUpdatedTimestamp == b.lastUpdatedTimestamp && a.userId == b.userId
            && a.description == b.description && a.latestVersions == b.latestVersions && a.tags == b.tags
            && a.aliases.map(\.alias) == b.aliases.map(\.alias) && a.aliases.map(\.version) == b.aliases.map(\.version)
    }

    public func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("name", name)
            w.field("creation_timestamp", creationTimestamp)
            w.field("last_updated_timestamp", lastUpdatedTimestamp)
            w.field("user_id", userId)
            w.field("description", description)
            if !latestVersions.isEmpty {
                w.key("latest_versions")
                w.array { w in
                    for v in latestVersions { v.write(to: &w, includeAliases: false) }
                }
            }
            if !tags.isEmpty { w.field("tags", tags) }
            if !aliases.isEmpty {
                w.key("aliases")
                w.array { w in
                    for a in aliases {
                        w.object { w in
                            w.field("alias", a.alias)
                            w.field("version", String(a.version))
                        }
                    }
                }
            }
        }
    }
}
