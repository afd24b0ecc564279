import Foundation

/// The image plans Cairn builds: a model service, the tracking server, the speech-recognition service.
extension ImagePlan {
    /// Where a model's files go inside the image: `/models/NAME/VERSION`.
    public static func modelPath(_ lineage: ModelLineage) -> String {
        "/models/\(safeComponent(lineage.name))/\(safeComponent(lineage.version))"
    }

    /// A model service: the runtime layer with `cairn`, a layer with the model folder, `cairn serve` on 0.0.0.0:8080.
    /// On a base image (`onBase`), the libraries go to `/app/lib` and the entrypoint starts `cairn` through the
    /// copied loader, so the base's own C library is left alone.
    public static func model(
        cairn: String, libraries: [String], folder: String, lineage: ModelLineage, created: String,
        onBase: Bool = false
    ) throws -> ImagePlan {
        var plan = ImagePlan()
        let isolated = onBase && !libraries.isEmpty
        let runtime = try RuntimeLayer.build(
            executables: [(cairn, "cairn")], libraries: libraries, under: isolated ? RuntimeLayer.libraryFolder : nil,
            users: !onBase)
        plan.layers.append(
            PlannedLayer(
                content: runtime,
                history: .init(createdBy: "cairn image build", comment: "cairn binary, its libraries and users")))
        let modelPath = modelPath(lineage)
        var model = LayerBuilder()
        try model.copyTree(from: folder, to: modelPath) { $0 == ".cairn-complete" || $0.hasPrefix(".partial-") }
        plan.layers.append(
            PlannedLayer(
                content: model,
                history: .init(
                    createdBy: "cairn image build \(lineage.uri)", comment: "model \(lineage.name)/\(lineage.version)"))
        )
        plan.exposedPorts = ["8080/tcp"]
        plan.env =
            RuntimeLayer.baseEnvironment + [
                "CAIRN_MODEL_NAME=\(lineage.name)", "CAIRN_MODEL_VERSION=\(lineage.version)", "MODEL_PATH=\(modelPath)",
            ]
        plan.entrypoint = ["/app/cairn", "serve", modelPath]
        if isolated, let loader = libraries.first(where: RuntimeLayer.isLoader) {
            let folder = "/" + RuntimeLayer.libraryFolder
            plan.entrypoint =
                [folder + "/" + (loader as NSString).lastPathComponent, "--library-path", folder]
                + plan.entrypoint
        }
        plan.cmd = ["--host", "0.0.0.0", "--port", "8080"]
        plan.workingDir = "/home/nonroot"
        plan.labels = lineage.labels
        plan.labels["org.opencontainers.image.created"] = created
        return plan
    }

    /// The tracking server: `cairn server` on 0.0.0.0:5000 with its database and artifacts under the `/data` volume.
    public static func tracking(cairn: String, libraries: [String], created: String) throws -> ImagePlan {
        var plan = ImagePlan()
        var runtime = try RuntimeLayer.build(executables: [(cairn, "cairn")], libraries: libraries)
        runtime.addDirectory("data", mode: 0o755, uid: nonRootID, gid: nonRootID)
        plan.layers.append(
            PlannedLayer(
                content: runtime,
                history: .init(createdBy: "cairn image build --service tracking", comment: "cairn binary and users")))
        plan.exposedPorts = ["5000/tcp"]
        plan.env = RuntimeLayer.baseEnvironment
        plan.entrypoint = ["/app/cairn", "server"]
        plan.cmd = [
            "--host", "0.0.0.0", "--port", "5000", "--auth", "--backend-store-uri", "sqlite:////data/cairn.db",
            "--artifacts-destination", "/data/artifacts",
        ]
        plan.volumes = ["/data"]
        plan.workingDir = "/data"
        plan.labels = [
            "org.opencontainers.image.title": "cairn-tracking", "org.opencontainers.image.created": created,
        ]
        return plan
    }

    /// The speech-recognition service: `cairn-asr serve` on 0.0.0.0:8000 with pocketsphinx's libraries and the
    /// model files of `modelFolder` (Debian's `/usr/share/pocketsphinx`) at the same path.
    public static func asr(
        cairnASR: String, libraries: [String], modelFolder: String, created: String
    ) throws -> ImagePlan {
        var plan = ImagePlan()
        let runtime = try RuntimeLayer.build(executables: [(cairnASR, "cairn-asr")], libraries: libraries)
        plan.layers.append(
            PlannedLayer(
                content: runtime,
                history: .init(
                    createdBy: "cairn image build --service asr", comment: "cairn-asr, pocketsphinx and users")))
        var models = LayerBuilder()
        try models.copyTree(from: modelFolder, to: modelFolder)
        plan.layers.append(
            PlannedLayer(
                content: models,
                history: .init(createdBy: "cairn image build --service asr", comment: "pocketsphinx models")
            ))
        plan.exposedPorts = ["8000/tcp"]
        plan.env = RuntimeLayer.baseEnvironment
        plan.entrypoint = ["/app/cairn-asr", "serve"]
        plan.cmd = ["--host", "0.0.0.0", "--port", "8000"]
        plan.workingDir = "/home/nonroot"
        plan.labels = ["org.opencontainers.image.title": "cairn-asr", "org.opencontainers.image.created": created]
        return plan
    }

    /// A path component safe in an image path: letters, digits and `._-`; anything else becomes `_`.
    static func safeComponent(_ text: String) -> String {
        let mapped = String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
        return mapped.isEmpty || mapped == "." || mapped == ".." ? "_" : mapped
    }
}
