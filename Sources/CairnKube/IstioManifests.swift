/// Istio traffic rules for a model service: a `DestinationRule` with one subset per track and a `VirtualService`
/// that splits by weight between stable and canary and mirrors to the shadow.
public enum IstioManifests {
    /// The DestinationRule and VirtualService.
    public static func documents(_ o: ManifestOptions) -> [YAMLValue] {
        var subsets: [YAMLValue] = [subset("stable")]
        if o.canary != nil { subsets.append(subset("canary")) }
        if o.shadow != nil { subsets.append(subset("shadow")) }
        let labels = PodSpec.labels(o.name, component: "model-server")
        let rule: YAMLValue = .map([
            ("apiVersion", "networking.istio.io/v1"), ("kind", "DestinationRule"),
            ("metadata", PodSpec.metadata(o.name, namespace: o.namespace, labels: labels)),
            ("spec", .map([("host", .string(o.name)), ("subsets", .list(subsets))])),
        ])
        let canaryShare = o.canary == nil ? 0 : o.canaryPercent
        var routes: [YAMLValue] = [destination(o, "stable", weight: 100 - canaryShare)]
        if o.canary != nil { routes.append(destination(o, "canary", weight: canaryShare)) }
        var http: [(String, YAMLValue)] = [("name", "primary"), ("route", .list(routes))]
        if o.shadow != nil {
            http.append(("mirror", .map([("host", .string(o.name)), ("subset", "shadow")])))
            http.append(("mirrorPercentage", .map([("value", .double(100.0))])))
        }
        let service: YAMLValue = .map([
            ("apiVersion", "networking.istio.io/v1"), ("kind", "VirtualService"),
            ("metadata", PodSpec.metadata(o.name, namespace: o.namespace, labels: labels)),
            ("spec", .map([("hosts", [.string(o.name)]), ("http", [.map(http)])])),
        ])
        return [rule, service]
    }

    static func subset(_ track: String) -> YAMLValue {
        .map([("name", .string(track)), ("labels", .map([("track", .string(track))]))])
    }

    static func destination(_ o: ManifestOptions, _ subset: String, weight: Int) -> YAMLValue {
        .map([
            (
                "destination",
                .map([("host", .string(o.name)), ("subset", .string(subset)), ("port", .map([("number", 80)]))])
            ),
            ("weight", .int(weight)),
        ])
    }
}
