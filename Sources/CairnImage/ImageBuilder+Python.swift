/// Installing a Python-runtime model's requirements into its image.
extension ImageBuilder {
    /// Finds the base's Python, installs the model's requirements for it (or reuses the cached install) and adds
    /// them to `plan` as a layer.
    func addRequirements(
        to plan: inout ImagePlan, folder: String, model: String, source: String, base: BaseImage, request: Request,
        progress: @escaping @Sendable (String) -> Void
    ) throws {
        let python = try BasePython.detect(in: base)
        progress("Base Python \(python.version) at \(python.interpreter) (\(python.platformDescription))")
        let requirements = try ModelRequirements.read(folder: folder, model: model)
        progress(
            "Requirements \(requirements.digest.hex.prefix(12)): \(requirements.normalizedLines.count) lines, "
                + "installing with \(request.hostPython)'s pip for \(python.platformDescription)")
        let installer = RequirementsInstaller(hostPython: request.hostPython, cache: request.cache)
        let installed = try installer.install(requirements, for: python, progress: progress)
        progress(
            (installed.reused ? "Requirements already installed in " : "Requirements installed in ") + installed.folder)
        let layer = try RequirementsInstaller.layer(from: installed.folder)
        plan.addPythonPackages(layer, python: python, requirements: requirements, source: source)
    }
}
