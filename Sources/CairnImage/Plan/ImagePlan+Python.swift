/// A model image on a Python base with the model's requirements in a layer of their own.
extension ImagePlan {
    /// Label keys describing the installed requirements.
    public enum PythonLabels {
        /// `sha256:…` of the model's requirement lines (``ModelRequirements/digest``).
        public static let requirementsDigest = "cairn.python.requirements.digest"
        /// The base's Python version the wheels were chosen for (`3.11`).
        public static let version = "cairn.python.version"
        /// The platform the wheels were chosen for (`cp3.11 glibc 2.36 x86_64`).
        public static let platform = "cairn.python.platform"
    }

    /// Puts `packages` (the layer from ``RequirementsInstaller/layer(from:)``) right above the base, points
    /// `PYTHONPATH` at it, has `cairn serve` use the base's interpreter and records what was installed.
    public mutating func addPythonPackages(
        _ packages: LayerBuilder, python: BasePython, requirements: ModelRequirements, source: String
    ) {
        layers.insert(
            PlannedLayer(
                content: packages,
                history: .init(
                    createdBy: "cairn image build \(source)",
                    comment: "the model's Python requirements for \(python.platformDescription)")),
            at: 0)
        env.append("PYTHONPATH=/" + RequirementsInstaller.sitePackages)
        entrypoint += ["--python", python.interpreter]
        labels[PythonLabels.requirementsDigest] = requirements.digest.description
        labels[PythonLabels.version] = python.version
        labels[PythonLabels.platform] = python.platformDescription
    }
}
