/// The pieces every Cairn workload shares: labels, the hardened pod and container security contexts, probes and
/// resources.
public enum PodSpec {
    /// The non-root user of Cairn images.
    public static let nonRootID = 65532

    /// Object metadata with name, optional namespace and labels.
    public static func metadata(
        _ name: String, namespace: String?, labels: [(String, YAMLValue)], annotations: [(String, YAMLValue)] = []
    ) -> YAMLValue {
        var pairs: [(String, YAMLValue)] = [("name", .string(name))]
        if let namespace { pairs.append(("namespace", .string(namespace))) }
        pairs.append(("labels", .map(labels)))
        if !annotations.isEmpty { pairs.append(("annotations", .map(annotations))) }
        return .map(pairs)
    }

    /// `app.kubernetes.io/name`, `part-of` and, when given, the rollout track.
    public static func labels(_ app: String, component: String, track: String? = nil) -> [(String, YAMLValue)] {
        var l: [(String, YAMLValue)] = [
            ("app.kubernetes.io/name", .string(app)), ("app.kubernetes.io/component", .string(component)),
            ("app.kubernetes.io/part-of", "cairn"),
        ]
        if let track { l.append(("track", .string(track))) }
        return l
    }

    /// Pod security: non-root 65532, group-owned volumes, the runtime's default seccomp profile.
    public static let podSecurity: YAMLValue = .map([
        ("runAsNonRoot", true), ("runAsUser", .int(nonRootID)), ("runAsGroup", .int(nonRootID)),
        ("fsGroup", .int(nonRootID)), ("seccompProfile", .map([("type", "RuntimeDefault")])),
    ])

    /// Container security: no privilege escalation, read-only root filesystem, every capability dropped.
    public static let containerSecurity: YAMLValue = .map([
        ("allowPrivilegeEscalation", false), ("readOnlyRootFilesystem", true), ("runAsNonRoot", true),
        ("capabilities", .map([("drop", ["ALL"])])),
    ])

    /// Requests and limits.
    public static func resources(cpu: String, memory: String, cpuLimit: String, memoryLimit: String) -> YAMLValue {
        .map([
            ("requests", .map([("cpu", .string(cpu)), ("memory", .string(memory))])),
            ("limits", .map([("cpu", .string(cpuLimit)), ("memory", .string(memoryLimit))])),
        ])
    }

    /// An HTTP GET probe on the `http` port.
    public static func probe(_ path: String, period: Int, failures: Int, initialDelay: Int = 0) -> YAMLValue {
        var pairs: [(String, YAMLValue)] = [("httpGet", .map([("path", .string(path)), ("port", "http")]))]
        if initialDelay > 0 { pairs.append(("initialDelaySeconds", .int(initialDelay))) }
        pairs += [("periodSeconds", .int(period)), ("timeoutSeconds", 2), ("failureThreshold", .int(failures))]
        return .map(pairs)
    }

    /// A writable `/tmp` (the root filesystem is read-only).
    public static let tmpVolume: YAMLValue = .map([("name", "tmp"), ("emptyDir", .map([("sizeLimit", "1Gi")]))])
    /// Its mount.
    public static let tmpMount: YAMLValue = .map([("name", "tmp"), ("mountPath", "/tmp")])

    /// The folder a token Secret is mounted on.
    public static let tokenDirectory = "/var/run/cairn"
    /// The token file a service reads there (`--auth-token-file`), the Secret's key `tokens`.
    public static let tokenFile = tokenDirectory + "/tokens"

    /// The volume of a token Secret: its key `tokens` only, readable by owner and group (0440; the
    /// pod's fsGroup), since a service refuses a token file every user can read.
    public static func tokenVolume(secret: String) -> YAMLValue {
        .map([
            ("name", "auth-tokens"),
            (
                "secret",
                .map([
                    ("secretName", .string(secret)), ("defaultMode", .int(0o440)),
                    ("items", [.map([("key", "tokens"), ("path", "tokens")])]),
                ])
            ),
        ])
    }

    /// Its read-only mount.
    public static let tokenMount: YAMLValue = .map([
        ("name", "auth-tokens"), ("mountPath", .string(tokenDirectory)), ("readOnly", true),
    ])

    /// The container arguments, volumes and mounts that make a service require the tokens of
    /// `secret` (none when it is nil).
    static func tokenGuard(secret: String?) -> (args: [YAMLValue], volumes: [YAMLValue], mounts: [YAMLValue]) {
        guard let secret else { return ([], [], []) }
        return (["--auth-token-file", .string(tokenFile)], [tokenVolume(secret: secret)], [tokenMount])
    }

    /// Prometheus scrape annotations for a port and path.
    public static func scrape(port: Int, path: String = "/metrics") -> [(String, YAMLValue)] {
        [
            ("prometheus.io/scrape", "true"), ("prometheus.io/port", .string(String(port))),
            ("prometheus.io/path", .string(path)),
        ]
    }

    /// A HorizontalPodAutoscaler on 70 % CPU for `target` (a scale target reference), with an
    /// optional `behavior` block.
    static func cpuAutoscaler(
        metadata: YAMLValue, target: YAMLValue, minReplicas: Int, maxReplicas: Int, behavior: YAMLValue? = nil
    ) -> YAMLValue {
        var spec: [(String, YAMLValue)] = [
            ("scaleTargetRef", target), ("minReplicas", .int(minReplicas)), ("maxReplicas", .int(maxReplicas)),
            (
                "metrics",
                [
                    .map([
                        ("type", "Resource"),
                        (
                            "resource",
                            .map([
                                ("name", "cpu"),
                                ("target", .map([("type", "Utilization"), ("averageUtilization", 70)])),
                            ])
                        ),
                    ])
                ]
            ),
        ]
        if let behavior { spec.append(("behavior", behavior)) }
        return .map([
            ("apiVersion", "autoscaling/v2"), ("kind", "HorizontalPodAutoscaler"), ("metadata", metadata),
            ("spec", .map(spec)),
        ])
    }
}
