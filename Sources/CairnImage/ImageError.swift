/// Why an image could not be built, read or pushed; each case renders a one-line message for the command line.
public enum ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A host file could not be read.
    case unreadable(String)
    /// A file could not be written.
    case unwritable(String)
    /// The output folder holds something that is not an OCI image layout.
    case notALayout(String)
    /// A layout has no image under this tag.
    case tagNotFound(layout: String, tag: String)
    /// A layout's JSON is malformed or misses a field.
    case malformed(String)
    /// A binary needs a shared library the loader cannot find.
    case missingLibrary(binary: String, library: String)
    /// A Python-runtime model was asked for without a Python base image.
    case pythonBaseNeeded(model: String)
    /// A base image given for a Python-runtime model has no Python interpreter.
    case pythonNotInBase(base: String)
    /// pip found no wheel of a requirement for the base's Python and platform.
    case noWheel(requirement: String, target: String)
    /// A user-given value is wrong.
    case invalid(String)
    /// A registry refused a request.
    case registry(String)

    /// A one-line explanation with what to do.
    public var description: String {
        switch self {
        case .unreadable(let p): "Cannot read '\(p)'."
        case .unwritable(let p): "Cannot write '\(p)'."
        case .notALayout(let p):
            "'\(p)' exists and is not an OCI image layout (no oci-layout file); pick an empty folder."
        case .tagNotFound(let layout, let tag): "The OCI layout '\(layout)' has no image tagged '\(tag)'."
        case .malformed(let what): "Malformed image data: \(what)."
        case .missingLibrary(let binary, let library):
            "'\(binary)' needs the shared library \(library), which the loader cannot find on this machine."
        case .pythonBaseNeeded(let model):
            "The model \(model) runs on the Python runtime, and the image needs a Python base for it: pass "
                + "--base oci:DIR:TAG (a local layout) or --base docker://HOST/REPO:TAG (pulled from the registry) "
                + "of an image holding Python; the model's requirements are installed into a layer of the image "
                + "(see docs/deploy.md). "
                + "Models with a native runtime (XGBoost, LightGBM, ONNX) need no base."
        case .pythonNotInBase(let base):
            "The base \(base) has no Python interpreter (no /usr/local/bin/python3 or /usr/bin/python3): pass a "
                + "Python base image, or --no-install-requirements to use the base as it is."
        case .noWheel(let requirement, let target):
            "No wheel of '\(requirement)' installs on the base's Python (\(target)); pin a version that ships one, "
                + "or use a base image that already holds it with --no-install-requirements."
        case .invalid(let message): message
        case .registry(let message): message
        }
    }
}
