/// The manifests of a model service: ConfigMap, Deployment (or Argo `Rollout`), Service, HorizontalPodAutoscaler,
/// PodDisruptionBudget, and for mesh rollouts the canary/shadow Deployments, Istio `DestinationRule` and
/// `VirtualService`.
///
/// ```swift
/// var options = ManifestOptions(name: "churn", image: "reg.example.com/churn@sha256:…", modelName: "churn",
///                               modelVersion: "3")
/// options.canary = "models:/churn/4"
/// options.rollout = .istio
/// let yaml = try YAMLValue.render(ModelManifests.documents(options))
/// ```
public enum ModelManifests {
    /// The serving port inside the container.
    public static let port = 8080

    /// Every document, in apply order.
    public static func documents(_ o: ManifestOptions) -> [YAMLValue] {
        var docs = [configMap(o)]
        switch o.rollout {
        case .inprocess:
            var args = ["--host", "0.0.0.0", "--port", String(port)]
            if let canary = o.canary { args += ["--canary", canary, "--canary-percent", String(o.canaryPercent)] }
            if let shadow = o.shadow { args += ["--shadow", shadow] }
            docs.append(deployment(o, name: o.name, track: "stable", command: nil, args: args, replicas: o.replicas))
            docs.append(service(o, name: o.name, track: nil))
        case .istio:
            docs.append(
                deployment(o, name: o.name, track: "stable", command: nil, args: defaultArgs, replicas: o.replicas))
            if let canary = o.canary {
                docs.append(candidate(o, uri: canary, image: o.canaryImage, track: "canary", replicas: 1))
            }
            if let shadow = o.shadow {
                docs.append(candidate(o, uri: shadow, image: nil, track: "shadow", replicas: 1))
            }
            docs.append(service(o, name: o.name, track: nil))
            docs += IstioManifests.documents(o)
        case .argo:
            docs.append(ArgoManifests.rollout(o))
            docs.append(service(o, name: o.name, track: nil))
            docs.append(service(o, name: o.name + "-canary", track: nil))
        }
        docs.append(autoscaler(o))
        docs.append(disruptionBudget(o))
        return docs
    }

    static let defaultArgs = ["--host", "0.0.0.0", "--port", String(port)]

    static func configMap(_ o: ManifestOptions) -> YAMLValue {
        .map([
            ("apiVersion", "v1"), ("kind", "ConfigMap"),
            (
                "metadata",
                PodSpec.metadata(
                    o.name + "-config", namespace: o.namespace,
                    labels: PodSpec.labels(o.name, component: "model-server"))
            ),
            (
                "data",
                .map([
                    ("MODEL_NAME", .string(o.modelName)), ("MODEL_VERSION", .string(o.modelVersion)),
                    ("MLFLOW_TRACKING_URI", .string(o.trackingURI)), ("LOG_LEVEL", "info"),
                ])
            ),
        ])
    }

    /// The pod template of a model server: `command` nil keeps the image's entrypoint.
    static func podTemplate(_ o: ManifestOptions, track: String, image: String, command: [String]?, args: [String])
        -> YAMLValue
    {
        let tokens = PodSpec.tokenGuard(secret: o.authSecret)
        var container: [(String, YAMLValue)] = [("name", "model"), ("image", .string(image))]
        if let command { container.append(("command", .list(command.map { .string($0) }))) }
        container += [
            ("args", .list(args.map { .string($0) } + tokens.args)),
            ("ports", [.map([("name", "http"), ("containerPort", .int(port)), ("protocol", "TCP")])]),
            ("envFrom", [.map([("configMapRef", .map([("name", .string(o.name + "-config"))]))])]),
            ("env", [.map([("name", "XDG_CACHE_HOME"), ("value", "/tmp/cache")])]),
            ("resources", PodSpec.resources(cpu: "250m", memory: "256Mi", cpuLimit: "1", memoryLimit: "512Mi")),
            ("startupProbe", PodSpec.probe("/v2/health/live", period: 2, failures: 60)),
            ("livenessProbe", PodSpec.probe("/v2/health/live", period: 10, failures: 3)),
            ("readinessProbe", PodSpec.probe("/v2/health/ready", period: 5, failures: 2)),
            ("securityContext", PodSpec.containerSecurity),
            ("volumeMounts", .list([PodSpec.tmpMount] + tokens.mounts)),
        ]
        return .map([
            (
                "metadata",
                .map([
                    ("labels", .map(PodSpec.labels(o.name, component: "model-server", track: track))),
                    ("annotations", .map(PodSpec.scrape(port: port))),
                ])
            ),
            (
                "spec",
                .map([
                    ("terminationGracePeriodSeconds", .int(o.terminationGraceSeconds)),
                    ("automountServiceAccountToken", false),
                    ("securityContext", PodSpec.podSecurity),
                    ("containers", [.map(container)]),
                    ("volumes", .list([PodSpec.tmpVolume] + tokens.volumes)),
                ])
            ),
        ])
    }

    static func deployment(
        _ o: ManifestOptions, name: String, track: String, command: [String]?, args: [String], replicas: Int,
        image: String? = nil
    ) -> YAMLValue {
        .map([
            ("apiVersion", "apps/v1"), ("kind", "Deployment"),
            (
                "metadata",
                PodSpec.metadata(
                    name, namespace: o.namespace,
                    labels: PodSpec.labels(o.name, component: "model-server", track: track))
            ),
            (
                "spec",
                .map([
                    ("replicas", .int(replicas)),
                    (
                        "selector",
                        .map([
                            (
                                "matchLabels",
                                .map([("app.kubernetes.io/name", .string(o.name)), ("track", .string(track))])
                            )
                        ])
                    ),
                    (
                        "strategy",
                        .map([
                            ("type", "RollingUpdate"),
                            ("rollingUpdate", .map([("maxSurge", 1), ("maxUnavailable", 0)])),
                        ])
                    ),
                    ("template", podTemplate(o, track: track, image: image ?? o.image, command: command, args: args)),
                ])
            ),
        ])
    }

    /// A canary or shadow Deployment: its own image, or the primary image started on the candidate's URI.
    static func candidate(_ o: ManifestOptions, uri: String, image: String?, track: String, replicas: Int) -> YAMLValue
    {
        let command: [String]? = image == nil ? ["/app/cairn", "serve", uri] : nil
        return deployment(
            o, name: o.name + "-" + track, track: track, command: command, args: defaultArgs, replicas: replicas,
            image: image)
    }

    static func service(_ o: ManifestOptions, name: String, track: String?) -> YAMLValue {
        var selector: [(String, YAMLValue)] = [("app.kubernetes.io/name", .string(o.name))]
        if let track { selector.append(("track", .string(track))) }
        return .map([
            ("apiVersion", "v1"), ("kind", "Service"),
            (
                "metadata",
                PodSpec.metadata(
                    name, namespace: o.namespace, labels: PodSpec.labels(o.name, component: "model-server"))
            ),
            (
                "spec",
                .map([
                    ("type", "ClusterIP"), ("selector", .map(selector)),
                    ("ports", [.map([("name", "http"), ("port", 80), ("targetPort", "http"), ("protocol", "TCP")])]),
                ])
            ),
        ])
    }

    static func autoscaler(_ o: ManifestOptions) -> YAMLValue {
        let target: YAMLValue =
            o.rollout == .argo
            ? .map([("apiVersion", "argoproj.io/v1alpha1"), ("kind", "Rollout"), ("name", .string(o.name))])
            : .map([("apiVersion", "apps/v1"), ("kind", "Deployment"), ("name", .string(o.name))])
        return PodSpec.cpuAutoscaler(
            metadata: PodSpec.metadata(
                o.name, namespace: o.namespace, labels: PodSpec.labels(o.name, component: "model-server")),
            target: target, minReplicas: o.replicas, maxReplicas: max(o.maxReplicas, o.replicas),
            behavior: .map([("scaleDown", .map([("stabilizationWindowSeconds", 300)]))]))
    }

    static func disruptionBudget(_ o: ManifestOptions) -> YAMLValue {
        .map([
            ("apiVersion", "policy/v1"), ("kind", "PodDisruptionBudget"),
            (
                "metadata",
                PodSpec.metadata(
                    o.name, namespace: o.namespace, labels: PodSpec.labels(o.name, component: "model-server"))
            ),
            (
                "spec",
                .map([
                    ("minAvailable", 1),
                    ("selector", .map([("matchLabels", .map([("app.kubernetes.io/name", .string(o.name))]))])),
                ])
            ),
        ])
    }
}
