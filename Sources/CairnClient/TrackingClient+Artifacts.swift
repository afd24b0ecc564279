import AsyncHTTPClient
import CairnCore
import Foundation
import NIOCore

extension TrackingClient {
    /// One entry of an artifact listing.
    public struct ArtifactFile: Sendable {
        public var path: String
        public var isDirectory: Bool
        public var size: Int64?
    }

    /// The proxy path of an `mlflow-artifacts:` URI.
    static func proxyPath(_ uri: String) throws(MlflowError) -> String {
        guard let path = ArtifactPath.proxyRelativePath(uri) else {
            throw .invalid(
                "Only mlflow-artifacts: locations can be downloaded through the server; '\(uri)' is stored elsewhere.")
        }
        return path
    }

    /// Lists one level of an artifact folder through the proxy.
    public func listArtifacts(proxyPath: String) async throws -> [ArtifactFile] {
        var url = baseURL + "/api/2.0/mlflow-artifacts/artifacts"
        if !proxyPath.isEmpty { url += "?path=" + Self.encode(proxyPath) }
        let response = try await send(HTTPClientRequest(url: url), timeout: timeout)
        let bytes = Array(try await response.body.collect(upTo: 64 * 1024 * 1024).readableBytesView)
        let json = (try? JSONParser.parse(bytes)) ?? .object([:])
        guard response.status == .ok else {
            throw MlflowError(.internalError, json["message"]?.text ?? "Listing '\(proxyPath)' failed.")
        }
        return json.list("files").compactMap { f in
            guard let p = f["path"]?.text else { return nil }
            return ArtifactFile(path: p, isDirectory: f["is_dir"] == .bool(true), size: f["file_size"]?.int64)
        }
    }

    /// Downloads every file under an `mlflow-artifacts:` URI into `directory`; returns the files written.
    @discardableResult
    public func downloadArtifacts(
        uri: String, to directory: String, progress: @Sendable (String, Int64) -> Void = { _, _ in }
    ) async throws -> [String] {
        let root = try Self.proxyPath(uri)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var written: [String] = []
        var pending: [String] = [""]
        while let relative = pending.popLast() {
            let remote = relative.isEmpty ? root : root + "/" + relative
            for entry in try await listArtifacts(proxyPath: remote) {
                let child = relative.isEmpty ? entry.path : relative + "/" + entry.path
                let segments = try ArtifactPath.segments(child)
                let local = directory + "/" + segments.joined(separator: "/")
                if entry.isDirectory {
                    try FileManager.default.createDirectory(atPath: local, withIntermediateDirectories: true)
                    pending.append(child)
                } else {
                    let size = try await downloadFile(proxyPath: root + "/" + child, to: local)
                    progress(child, size)
                    written.append(local)
                }
            }
        }
        return written.sorted()
    }

    /// Streams one file from the proxy to disk.
    func downloadFile(proxyPath: String, to local: String) async throws -> Int64 {
        let encoded = proxyPath.split(separator: "/").map { Self.encode(String($0)) }.joined(separator: "/")
        let request = HTTPClientRequest(url: baseURL + "/api/2.0/mlflow-artifacts/artifacts/" + encoded)
        let response = try await send(request, timeout: .hours(1))
        guard response.status == .ok else {
            throw MlflowError(
                .resourceDoesNotExist, "Downloading '\(proxyPath)' failed with HTTP \(response.status.code).")
        }
        let parent = (local as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: local, contents: nil) else {
            throw MlflowError.invalid("Cannot write '\(local)'.")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: local))
        defer { try? handle.close() }
        var total: Int64 = 0
        for try await chunk in response.body {
            try handle.write(contentsOf: Data(chunk.readableBytesView))
            total += Int64(chunk.readableBytes)
        }
        return total
    }
}
