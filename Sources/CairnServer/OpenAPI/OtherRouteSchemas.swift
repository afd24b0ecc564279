import Hummingbird

/// The documented routes registered outside ``APIRoutes/endpoints``: the artifact proxy and listings
/// (``ArtifactRoutes``), `server-info`, `/health` and `/version`. Paths are absolute without the
/// leading slash; a test asks the real router for each.
enum OtherRouteSchemas {
    /// An artifact listing: the root URI and its files.
    static let listing: Schema = .object(
        .optional("root_uri", .string), .optional("files", .array(of: .ref("FileInfo"))))
    /// The proxy path of one artifact file.
    static let artifactPath: String = "api/2.0/mlflow-artifacts/artifacts/*artifact_path"
    /// An operation a local artifact repository does not support.
    static let notImplemented = EndpointSchema(
        "Not supported by the local artifact repository (always 501)", body: .fields, status: 501,
        replyMedia: "application/json", reply: .ref("Error"))

    /// The rows, in the shape of the route table: path, methods, schema.
    static let rows: [(String, [HTTPRequest.Method], EndpointSchema)] = [
        (
            "api/2.0/mlflow/artifacts/list", [.get],
            .init(
                "List the artifacts of a run",
                TrackingSchemas.runIds + [.optional("path", .string), .optional("page_token", .string)],
                reply: listing)
        ),
        (
            "api/2.0/mlflow/logged-models/:model_id/artifacts/directories", [.get],
            .init(
                "List the artifacts of a logged model", [.optional("artifact_directory_path", .string)], reply: listing)
        ),
        (
            "api/2.0/mlflow-artifacts/artifacts", [.get],
            .init(
                "List a folder of the artifact store", [.optional("path", .string)],
                reply: .object(.optional("files", .array(of: .ref("FileInfo")))))
        ),
        (
            artifactPath, [.get],
            .init(
                "Download an artifact file", body: .fields, replyMedia: "application/octet-stream", reply: .binary)
        ),
        (artifactPath, [.put], .init("Upload an artifact file", body: .binary, replyMedia: "", reply: .empty)),
        (artifactPath, [.delete], .init("Delete an artifact file or folder")),
        ("api/2.0/mlflow-artifacts/mpu/create/*artifact_path", [.post], notImplemented),
        ("api/2.0/mlflow-artifacts/mpu/complete/*artifact_path", [.post], notImplemented),
        ("api/2.0/mlflow-artifacts/mpu/abort/*artifact_path", [.post], notImplemented),
        ("api/2.0/mlflow-artifacts/presigned/*artifact_path", [.get], notImplemented),
        (
            "api/3.0/mlflow/server-info", [.get],
            .init(
                "What this server supports",
                reply: .object(
                    .required("store_type", .string), .required("workspaces_enabled", .bool),
                    .optional("trace_archival_enabled", .bool), .optional("multipart_uploads_enabled", .bool),
                    .optional("multipart_downloads_enabled", .bool),
                    .optional("presigned_upload_run_id_supported", .bool),
                    .optional("presigned_upload_model_id_supported", .bool),
                    .optional("features_enabled", .object(.optional("gateway", .bool)))))
        ),
        ("health", [.get], .init("Liveness: `OK`", body: .fields, replyMedia: "text/plain", reply: .string)),
        ("version", [.get], .init("The Cairn version", body: .fields, replyMedia: "text/plain", reply: .string)),
    ]
}
