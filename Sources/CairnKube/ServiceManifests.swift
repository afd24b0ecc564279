/// Manifests for Cairn's own services: the tracking server and the speech-recognition service (with the edge
/// streamer's address in a ConfigMap).
public enum ServiceManifests {
    /// Tracking-server settings.
    public struct Tracking: Sendable {
        /// Object name.
        public var name = "cairn-tracking"
        /// The image by digest.
        public var image: String
        /// Namespace, when set.
        public var namespace: String?
        /// Replicas; more than one needs a shared backend store (the Secret's URI).
        public var replicas = 1
        /// A Secret whose key `uri` holds the backend store URI; nil keeps SQLite on the claim.
        public var backendSecret: String?
        /// Size of the PersistentVolumeClaim for the SQLite file and artifacts.
        public var storage = "10Gi"
        /// An object-store artifact root (`s3://…`); nil keeps artifacts on the claim.
        public var artifactRoot: String?
        /// A Secret whose key `password` holds the first administrator's password; read only while no
        /// administrator exists (the server runs with `--auth`, having no default password).
        public var adminSecret: String?

        /// Creates settings.
        public init(image: String) { self.image = image }
    }

    /// PersistentVolumeClaim, Deployment and Service of the tracking server.
    public static func tracking(_ t: Tracking) -> [YAMLValue] {
        let labels = PodSpec.labels(t.name, component: "tracking-server")
        var args: [YAMLValue] = [
            "--host", "0.0.0.0", "--port", "5000", "--auth", "--artifacts-destination", "/data/artifacts",
        ]
        var env: [YAMLValue] = [
            .map([
                ("name", "CAIRN_ADMIN_PASSWORD"),
                (
                    "valueFrom",
                    .map([
                        (
                            "secretKeyRef",
                            .map([
                                ("name", .string(t.adminSecret ?? t.name + "-admin")), ("key", "password"),
                                ("optional", true),
                            ])
                        )
                    ])
                ),
            ])
        ]
        if let secret = t.backendSecret {
            env.append(
                .map([
                    ("name", "BACKEND_STORE_URI"),
                    ("valueFrom", .map([("secretKeyRef", .map([("name", .string(secret)), ("key", "uri")]))])),
                ]))
            args += ["--backend-store-uri", "$(BACKEND_STORE_URI)"]
        } else {
            args += ["--backend-store-uri", "sqlite:////data/cairn.db"]
        }
        if let root = t.artifactRoot { args += ["--default-artifact-root", .string(root)] }
        var container: [(String, YAMLValue)] = [
            ("name", "tracking"), ("image", .string(t.image)), ("args", .list(args)),
            ("ports", [.map([("name", "http"), ("containerPort", 5000), ("protocol", "TCP")])]),
        ]
        if !env.isEmpty { container.append(("env", .list(env))) }
        container += [
            ("resources", PodSpec.resources(cpu: "250m", memory: "256Mi", cpuLimit: "2", memoryLimit: "1Gi")),
            ("startupProbe", PodSpec.probe("/health", period: 2, failures: 30)),
            ("livenessProbe", PodSpec.probe("/health", period: 10, failures: 3)),
            ("readinessProbe", PodSpec.probe("/health", period: 5, failures: 2)),
            ("securityContext", PodSpec.containerSecurity),
            ("volumeMounts", [PodSpec.tmpMount, .map([("name", "data"), ("mountPath", "/data")])]),
        ]
        let claim = t.name + "-data"
        let pvc: YAMLValue = .map([
            ("apiVersion", "v1"), ("kind", "PersistentVolumeClaim"),
            ("metadata", PodSpec.metadata(claim, namespace: t.namespace, labels: labels)),
            (
                "spec",
                .map([
                    ("accessModes", [t.replicas > 1 ? "ReadWriteMany" : "ReadWriteOnce"]),
                    ("resources", .map([("requests", .map([("storage", .string(t.storage))]))])),
                ])
            ),
        ])
        let deployment: YAMLValue = .map([
            ("apiVersion", "apps/v1"), ("kind", "Deployment"),
            ("metadata", PodSpec.metadata(t.name, namespace: t.namespace, labels: labels)),
            (
                "spec",
                .map([
                    ("replicas", .int(t.replicas)),
                    ("selector", .map([("matchLabels", .map([("app.kubernetes.io/name", .string(t.name))]))])),
                    // One writer at a time on a SQLite file: the old pod stops before the new one starts.
                    ("strategy", .map([("type", t.backendSecret == nil ? "Recreate" : "RollingUpdate")])),
                    (
                        "template",
                        .map([
                            (
                                "metadata",
                                .map([("labels", .map(labels)), ("annotations", .map(PodSpec.scrape(port: 5000)))])
                            ),
                            (
                                "spec",
                                .map([
                                    ("terminationGracePeriodSeconds", 30), ("automountServiceAccountToken", false),
                                    ("securityContext", PodSpec.podSecurity), ("containers", [.map(container)]),
                                    (
                                        "volumes",
                                        [
                                            PodSpec.tmpVolume,
                                            .map([
                                                ("name", "data"),
                                                ("persistentVolumeClaim", .map([("claimName", .string(claim))])),
                                            ]),
                                        ]
                                    ),
                                ])
                            ),
                        ])
                    ),
                ])
            ),
        ])
        return [pvc, deployment, service(t.name, namespace: t.namespace, labels: labels, port: 5000)]
    }

    /// Deployment, Service, HorizontalPodAutoscaler of the recognition service, and a ConfigMap with the URL the
    /// edge streamer (`cairn speech stream --asr $ASR_URL`) points at. With `authSecret`, the service requires
    /// the tokens of that Secret's key `tokens` (`--auth-token-file`).
    public static func asr(
        name: String = "cairn-asr", image: String, namespace: String?, replicas: Int, authSecret: String? = nil
    ) -> [YAMLValue] {
        let labels = PodSpec.labels(name, component: "speech-recognition")
        let tokens = PodSpec.tokenGuard(secret: authSecret)
        let container: YAMLValue = .map([
            ("name", "asr"), ("image", .string(image)),
            ("args", .list(["--host", "0.0.0.0", "--port", "8000"] + tokens.args)),
            ("ports", [.map([("name", "http"), ("containerPort", 8000), ("protocol", "TCP")])]),
            ("resources", PodSpec.resources(cpu: "500m", memory: "256Mi", cpuLimit: "2", memoryLimit: "1Gi")),
            ("startupProbe", PodSpec.probe("/health", period: 2, failures: 30)),
            ("livenessProbe", PodSpec.probe("/health", period: 10, failures: 3)),
            ("readinessProbe", PodSpec.probe("/health", period: 5, failures: 2)),
            ("securityContext", PodSpec.containerSecurity),
            ("volumeMounts", .list([PodSpec.tmpMount] + tokens.mounts)),
        ])
        let deployment: YAMLValue = .map([
            ("apiVersion", "apps/v1"), ("kind", "Deployment"),
            ("metadata", PodSpec.metadata(name, namespace: namespace, labels: labels)),
            (
                "spec",
                .map([
                    ("replicas", .int(replicas)),
                    ("selector", .map([("matchLabels", .map([("app.kubernetes.io/name", .string(name))]))])),
                    (
                        "template",
                        .map([
                            (
                                "metadata",
                                .map([("labels", .map(labels)), ("annotations", .map(PodSpec.scrape(port: 8000)))])
                            ),
                            (
                                "spec",
                                .map([
                                    ("terminationGracePeriodSeconds", 30), ("automountServiceAccountToken", false),
                                    ("securityContext", PodSpec.podSecurity), ("containers", [container]),
                                    ("volumes", .list([PodSpec.tmpVolume] + tokens.volumes)),
                                ])
                            ),
                        ])
                    ),
                ])
            ),
        ])
        let hpa = PodSpec.cpuAutoscaler(
            metadata: PodSpec.metadata(name, namespace: namespace, labels: labels),
            target: .map([("apiVersion", "apps/v1"), ("kind", "Deployment"), ("name", .string(name))]),
            minReplicas: replicas, maxReplicas: max(replicas, 10))
        let streamer: YAMLValue = .map([
            ("apiVersion", "v1"), ("kind", "ConfigMap"),
            ("metadata", PodSpec.metadata(name + "-edge", namespace: namespace, labels: labels)),
            ("data", .map([("ASR_URL", .string("http://\(name)\(namespace.map { ".\($0).svc" } ?? ""):80"))])),
        ])
        return [deployment, service(name, namespace: namespace, labels: labels, port: 8000), hpa, streamer]
    }

    static func service(_ name: String, namespace: String?, labels: [(String, YAMLValue)], port: Int) -> YAMLValue {
        .map([
            ("apiVersion", "v1"), ("kind", "Service"),
            ("metadata", PodSpec.metadata(name, namespace: namespace, labels: labels)),
            (
                "spec",
                .map([
                    ("type", "ClusterIP"), ("selector", .map([("app.kubernetes.io/name", .string(name))])),
                    ("ports", [.map([("name", "http"), ("port", 80), ("targetPort", "http"), ("protocol", "TCP")])]),
                ])
            ),
        ])
    }
}
