import CairnCore
import Foundation

/// The runtime settings and filesystem description of an image (`application/vnd.oci.image.config.v1+json`).
public struct ImageConfig: Sendable, Equatable {
    /// One `history` entry: how a layer (or a metadata-only step) was made.
    public struct History: Sendable, Equatable {
        /// What made the layer.
        public var createdBy: String
        /// A short note.
        public var comment: String
        /// True for a step that added no layer.
        public var emptyLayer: Bool = false

        /// Creates a history entry.
        public init(createdBy: String, comment: String, emptyLayer: Bool = false) {
            self.createdBy = createdBy
            self.comment = comment
            self.emptyLayer = emptyLayer
        }
    }

    /// CPU architecture, as Go names it (`amd64`, `arm64`).
    public var architecture: String
    /// Operating system (`linux`).
    public var os = "linux"
    /// RFC 3339 creation time.
    public var created: String
    /// `uid:gid` the process runs as.
    public var user: String?
    /// Ports such as `8080/tcp`.
    public var exposedPorts: [String] = []
    /// `NAME=value` environment entries.
    public var env: [String] = []
    /// The executable and its fixed arguments.
    public var entrypoint: [String] = []
    /// Default arguments after the entrypoint.
    public var cmd: [String] = []
    /// Paths where volumes are expected.
    public var volumes: [String] = []
    /// Working directory.
    public var workingDir: String?
    /// Labels (written sorted by key).
    public var labels: [String: String] = [:]
    /// The signal that stops the container.
    public var stopSignal: String? = "SIGTERM"
    /// Digests of the uncompressed layers, base first.
    public var diffIDs: [Digest] = []
    /// One entry per layer (and per metadata-only step).
    public var history: [History] = []
    /// The author.
    public var author = "cairn"

    /// Creates a config for `architecture` created at `created`.
    public init(architecture: String, created: String) {
        self.architecture = architecture
        self.created = created
    }

    /// The config's JSON bytes: fixed field order, maps sorted, so equal configs give equal digests.
    public func json() -> [UInt8] {
        var w = JSONWriter()
        w.object { w in
            w.field("created", created)
            w.field("author", author)
            w.field("architecture", architecture)
            w.field("os", os)
            w.key("config")
            w.object { w in
                w.field("User", user)
                if !exposedPorts.isEmpty {
                    w.key("ExposedPorts")
                    w.object { w in
                        for p in exposedPorts.sorted() {
                            w.key(p)
                            w.object { _ in }
                        }
                    }
                }
                Self.strings(&w, "Env", env)
                Self.strings(&w, "Entrypoint", entrypoint)
                Self.strings(&w, "Cmd", cmd)
                if !volumes.isEmpty {
                    w.key("Volumes")
                    w.object { w in
                        for v in volumes.sorted() {
                            w.key(v)
                            w.object { _ in }
                        }
                    }
                }
                w.field("WorkingDir", workingDir)
                if !labels.isEmpty {
                    w.key("Labels")
                    w.object { w in
                        for (k, v) in labels.sorted(by: { $0.key < $1.key }) { w.field(k, v) }
                    }
                }
                w.field("StopSignal", stopSignal)
            }
            w.key("rootfs")
            w.object { w in
                w.field("type", "layers")
                w.key("diff_ids")
                w.array { w in
                    for d in diffIDs { w.value(d.description) }
                }
            }
            w.key("history")
            w.array { w in
                for h in history {
                    w.object { w in
                        w.field("created", created)
                        w.field("created_by", h.createdBy)
                        w.field("author", author)
                        w.field("comment", h.comment)
                        if h.emptyLayer { w.field("empty_layer", true) }
                    }
                }
            }
        }
        return w.bytes
    }

    private static func strings(_ w: inout JSONWriter, _ key: String, _ values: [String]) {
        guard !values.isEmpty else { return }
        w.key(key)
        w.array { w in
            for v in values { w.value(v) }
        }
    }

    /// `created` for a `SOURCE_DATE_EPOCH` (seconds since 1970), as RFC 3339 in UTC.
    public static func timestamp(epoch: Int64) -> String {
        var seconds = time_t(epoch)
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return "1970-01-01T00:00:00Z" }
        func two(_ v: Int32) -> String { String(v).leftPadded(to: 2) }
        return "\(String(Int(parts.tm_year) + 1900).leftPadded(to: 4))-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
            + "T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
