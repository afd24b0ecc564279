/// An Argo Rollouts `Rollout` for a model service: the pod template serves the candidate (the canary image, or the
/// primary image started on the canary URI), and the canary steps shift traffic from the stable ReplicaSet in
/// stages, pausing for a check before full promotion (`kubectl argo rollouts promote NAME`).
public enum ArgoManifests {
    /// The Rollout.
    public static func rollout(_ o: ManifestOptions) -> YAMLValue {
        let track = "stable"
        let template: YAMLValue
        if let canary = o.canary, o.canaryImage == nil {
            template = ModelManifests.podTemplate(
                o, track: track, image: o.image, command: ["/app/cairn", "serve", canary],
                args: ModelManifests.defaultArgs)
        } else {
            template = ModelManifests.podTemplate(
                o, track: track, image: o.canaryImage ?? o.image, command: nil, args: ModelManifests.defaultArgs)
        }
        let steps: [YAMLValue] = [
            .map([("setWeight", .int(o.canaryPercent))]),
            .map([("pause", .map([("duration", "10m")]))]),
            .map([("setWeight", .int(max(o.canaryPercent, 50)))]),
            .map([("pause", .map([]))]),
        ]
        return .map([
            ("apiVersion", "argoproj.io/v1alpha1"), ("kind", "Rollout"),
            (
                "metadata",
                PodSpec.metadata(
                    o.name, namespace: o.namespace, labels: PodSpec.labels(o.name, component: "model-server"))
            ),
            (
                "spec",
                .map([
                    ("replicas", .int(o.replicas)),
                    ("revisionHistoryLimit", 3),
                    (
                        "selector",
                        .map([
                            (
                                "matchLabels",
                                .map([("app.kubernetes.io/name", .string(o.name)), ("track", .string(track))])
                            )
                        ])
                    ),
                    ("template", template),
                    (
                        "strategy",
                        .map([
                            (
                                "canary",
                                .map([
                                    ("canaryService", .string(o.name + "-canary")), ("stableService", .string(o.name)),
                                    ("maxSurge", 1), ("maxUnavailable", 0), ("steps", .list(steps)),
                                ])
                            )
                        ])
                    ),
                ])
            ),
        ])
    }
}
