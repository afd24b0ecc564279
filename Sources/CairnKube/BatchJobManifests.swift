/// Batch scoring on the cluster: an Indexed `Job` whose pod `I` runs `cairn predict … --shard I/N` on its part of
/// one input file and writes `part-I.<ext>` to the output folder — or, when the input is a folder, on its part of
/// the folder's files, written under their own names — both on a shared PersistentVolumeClaim.
public enum BatchJobManifests {
    /// The Job.
    public static func job(_ o: ManifestOptions, modelPath: String, batch b: BatchOptions) -> YAMLValue {
        let lower = b.input.lowercased()
        let ext =
            lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") ? "jsonl" : lower.hasSuffix(".csv") ? "csv" : nil
        var output = b.output
        while output.hasSuffix("/") { output.removeLast() }
        let target = ext.map { "\(output)/part-$(JOB_COMPLETION_INDEX).\($0)" } ?? output
        let args: [YAMLValue] = [
            "predict", .string(modelPath), "--input", .string(b.input), "--output", .string(target), "--shard",
            .string("$(JOB_COMPLETION_INDEX)/\(b.shards)"),
        ]
        let container: YAMLValue = .map([
            ("name", "predict"), ("image", .string(o.image)),
            ("command", ["/app/cairn"]), ("args", .list(args)),
            (
                "env",
                [
                    .map([
                        ("name", "JOB_COMPLETION_INDEX"),
                        (
                            "valueFrom",
                            .map([
                                (
                                    "fieldRef",
                                    .map([
                                        (
                                            "fieldPath",
                                            "metadata.annotations['batch.kubernetes.io/job-completion-index']"
                                        )
                                    ])
                                )
                            ])
                        ),
                    ]),
                    .map([("name", "XDG_CACHE_HOME"), ("value", "/tmp/cache")]),
                ]
            ),
            ("resources", PodSpec.resources(cpu: "1", memory: "512Mi", cpuLimit: "2", memoryLimit: "1Gi")),
            ("securityContext", PodSpec.containerSecurity),
            ("volumeMounts", [PodSpec.tmpMount, .map([("name", "data"), ("mountPath", "/data")])]),
        ])
        let labels = PodSpec.labels(o.name, component: "batch-scoring")
        return .map([
            ("apiVersion", "batch/v1"), ("kind", "Job"),
            ("metadata", PodSpec.metadata(o.name + "-batch", namespace: o.namespace, labels: labels)),
            (
                "spec",
                .map([
                    ("completionMode", "Indexed"), ("completions", .int(b.shards)),
                    ("parallelism", .int(b.parallelism)),
                    ("backoffLimit", .int(b.backoffLimit)), ("ttlSecondsAfterFinished", 86400),
                    (
                        "template",
                        .map([
                            ("metadata", .map([("labels", .map(labels))])),
                            (
                                "spec",
                                .map([
                                    ("restartPolicy", "Never"), ("automountServiceAccountToken", false),
                                    ("securityContext", PodSpec.podSecurity), ("containers", [container]),
                                    (
                                        "volumes",
                                        [
                                            PodSpec.tmpVolume,
                                            .map([
                                                ("name", "data"),
                                                ("persistentVolumeClaim", .map([("claimName", .string(b.claim))])),
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
    }
}
