import CairnCore
import Foundation
import Hummingbird

/// Where MLflow's own React UI build (`mlflow/server/js/build` of an installed `mlflow` package)
/// is found; Cairn serves it at ``MlflowWebUI/prefix`` next to its own UI.
public struct MlflowUIConfiguration: Sendable {
    /// Content types of the build's files, by extension.
    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
        "json": "application/json", "map": "application/json", "ico": "image/vnd.microsoft.icon", "png": "image/png",
        "svg": "image/svg+xml", "gif": "image/gif", "jpg": "image/jpeg", "woff": "font/woff", "woff2": "font/woff2",
        "ttf": "font/ttf", "eot": "application/vnd.ms-fontobject", "wasm": "application/wasm", "txt": "text/plain",
    ]

    /// The build folder, holding `index.html` and `static-files/…` assets.
    public var buildDirectory: String

    /// Uses `buildDirectory`, which must hold `index.html`.
    public init(buildDirectory: String) throws(MlflowError) {
        let absolute = URL(fileURLWithPath: buildDirectory).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: absolute + "/index.html") else {
            throw MlflowError.invalid("'\(absolute)' holds no index.html; it is not an MLflow UI build folder.")
        }
        self.buildDirectory = absolute
    }

    /// The build folder inside the `mlflow` package that `python` imports.
    public static func locate(python: String = "python3") throws(MlflowError) -> MlflowUIConfiguration {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            python, "-c",
            "import mlflow, os; print(os.path.join(os.path.dirname(mlflow.__file__), 'server', 'js', 'build'))",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw MlflowError.invalid("Cannot run \(python) to find the mlflow package: \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, !path.isEmpty else {
            throw MlflowError.invalid(
                "\(python) cannot import mlflow; install it (pip install mlflow) or pass --mlflow-ui-dir DIR.")
        }
        return try MlflowUIConfiguration(buildDirectory: path)
    }
}

/// Serves MLflow's React UI at `/mlflow/`: `index.html`, its `static-files/` assets, and every call
/// the UI makes under the prefix (`/mlflow/ajax-api/…`, `/mlflow/graphql`, `/mlflow/get-artifact`, …),
/// which is handed to the same handlers as without the prefix.
struct MlflowWebUI<Context: RequestContext>: Sendable {
    /// The path prefix the UI is served under.
    static var prefix: String { "/mlflow" }

    /// The first path segments of the calls the UI makes under the prefix.
    static var forwarded: [String] {
        ["ajax-api", "api", "graphql", "get-artifact", "model-versions/get-artifact", "health", "version"]
    }

    let configuration: MlflowUIConfiguration
    /// The server's routes without the UI, answering the forwarded calls.
    let api: RouterResponder<Context>
    let fileIO = FileIO()

    func register(on router: Router<Context>) {
        router.get("mlflow") { request, context in
            // `/mlflow` and `/mlflow/` reach the same route; the page needs the slash for its relative links.
            guard request.uri.path.hasSuffix("/") else {
                return Response(status: .movedPermanently, headers: [.location: Self.prefix + "/"])
            }
            return try await self.file("index.html", context: context)
        }
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            router.on("mlflow/**", method: method) { request, context in
                try await self.handle(request, context: context)
            }
        }
    }

    func handle(_ request: Request, context: Context) async throws -> Response {
        let rest = String(request.uri.path.dropFirst(Self.prefix.count + 1))
        if rest.isEmpty { return try await file("index.html", context: context) }
        if rest.hasPrefix("static-files/"), request.method == .get {
            return try await file(String(rest.dropFirst("static-files/".count)), context: context)
        }
        guard Self.forwarded.contains(where: { rest == $0 || rest.hasPrefix($0 + "/") }) else {
            throw MlflowError(.endpointNotFound, "No MLflow UI page or endpoint at \(request.uri.path)")
        }
        var head = request.head
        let query = request.uri.query.map { "?" + $0 } ?? ""
        head.path = "/" + rest + query
        return try await api.respond(to: Request(head: head, body: request.body), context: context)
    }

    /// A file of the build folder, its path checked by ``ArtifactPath``.
    func file(_ relative: String, context: Context) async throws -> Response {
        guard let decoded = ArtifactPath.percentDecoded(relative) else { throw ArtifactPath.invalid }
        let segments = try ArtifactPath.segments(decoded)
        let path = configuration.buildDirectory + "/" + segments.joined(separator: "/")
        var isDirectory: ObjCBool = false
        guard !segments.isEmpty, FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
            !isDirectory.boolValue
        else {
            throw MlflowError(.endpointNotFound, "No MLflow UI file at '\(relative)'.")
        }
        let ext = (segments.last! as NSString).pathExtension.lowercased()
        return Response(
            status: .ok,
            headers: [
                .contentType: MlflowUIConfiguration.contentTypes[ext] ?? "application/octet-stream",
                .cacheControl: segments.last == "index.html" ? "no-cache" : "public, max-age=2419200",
            ],
            body: try await fileIO.loadFile(path: path, context: context))
    }
}
