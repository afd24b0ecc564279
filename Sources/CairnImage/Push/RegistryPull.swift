import AsyncHTTPClient
import CairnCore
import Foundation
import NIOCore
import NIOHTTP1

extension RegistryClient {
    /// The largest blob a pull accepts (a base layer of a few hundred MB is common).
    static let largestBlob = 8 << 30

    /// Pulls `reference` into `layout` under `tag` over the OCI distribution API: the manifest (from an
    /// index or Docker manifest list, the one for `platform`), its config and layers, each checked against
    /// its digest. Blobs already in the layout are not fetched again. Returns the manifest's descriptor.
    public func pull(
        _ reference: ImageReference, into layout: OCILayout, tag: String,
        platform: Platform = .host, progress: (String) -> Void = { _ in }
    ) async throws -> Descriptor {
        let transfer = RegistryTransfer(client: self, reference: reference)
        var (bytes, mediaType) = try await transfer.manifest(reference.tag)
        if mediaType == MediaType.index || mediaType == MediaType.dockerManifestList {
            let chosen = try Self.platformManifest(in: bytes, for: platform, reference: reference)
            progress("Index of \(reference): the \(platform) manifest \(chosen.digest.hex.prefix(12))")
            (bytes, mediaType) = try await transfer.manifest(chosen.digest.description)
            guard Digest(of: bytes) == chosen.digest else {
                throw ImageError.registry("The manifest of \(reference) does not match its digest \(chosen.digest).")
            }
        }
        let manifest = try ImageManifest(json: bytes)
        for blob in [manifest.config] + manifest.layers {
            if (try? layout.readBlob(blob.digest)) != nil {
                progress("Blob \(blob.digest.hex.prefix(12)) already here")
                continue
            }
            let data = try await transfer.blob(blob.digest)
            guard Digest(of: data) == blob.digest else {
                throw ImageError.registry("Blob \(blob.digest) of \(reference) does not match its digest.")
            }
            try layout.writeBlob(data)
            progress("Blob \(blob.digest.hex.prefix(12)) pulled (\(data.count) bytes)")
        }
        let digest = try layout.writeBlob(bytes)
        let descriptor = Descriptor(mediaType: mediaType, digest: digest, size: bytes.count)
        try layout.tag(descriptor, as: tag)
        return descriptor
    }

    /// An operating system and CPU architecture as image indexes name them.
    public struct Platform: Sendable, Equatable, CustomStringConvertible {
        /// `linux`.
        public var os: String
        /// `amd64`, `arm64`, …
        public var architecture: String

        /// Creates a platform.
        public init(os: String, architecture: String) {
            self.os = os
            self.architecture = architecture
        }

        /// The machine this runs on.
        public static var host: Platform {
            #if arch(arm64)
                Platform(os: "linux", architecture: "arm64")
            #else
                Platform(os: "linux", architecture: "amd64")
            #endif
        }

        /// `os/architecture`.
        public var description: String { "\(os)/\(architecture)" }
    }

    /// The manifest of an index or manifest list that runs on `platform`.
    static func platformManifest(in bytes: [UInt8], for platform: Platform, reference: ImageReference) throws
        -> Descriptor
    {
        let parsed: JSONValue
        do { parsed = try JSONParser.parse(bytes) } catch {
            throw ImageError.malformed("index of \(reference): \(error.description)")
        }
        guard let entries = parsed.objectValue?["manifests"]?.arrayValue else {
            throw ImageError.malformed("index of \(reference) lists no manifests")
        }
        var offered: [String] = []
        for entry in entries {
            let p = entry.objectValue?["platform"]?.objectValue
            let os = p?["os"]?.stringValue ?? "?"
            let architecture = p?["architecture"]?.stringValue ?? "?"
            offered.append("\(os)/\(architecture)")
            if os == platform.os && architecture == platform.architecture { return try Descriptor(json: entry) }
        }
        throw ImageError.registry(
            "\(reference) has no \(platform) image (it offers \(offered.joined(separator: ", "))).")
    }
}

extension RegistryTransfer {
    /// The types a manifest request accepts, OCI and Docker, single and multi-platform.
    static let manifestTypes = [
        MediaType.manifest, MediaType.index, MediaType.dockerManifest, MediaType.dockerManifestList,
    ].joined(separator: ", ")

    /// GET a manifest by tag or digest; returns its bytes and media type.
    func manifest(_ tagOrDigest: String) async throws -> (bytes: [UInt8], mediaType: String) {
        let response = try await send(
            .GET, repositoryURL + "/manifests/" + tagOrDigest, headers: [("Accept", Self.manifestTypes)])
        let bytes = Array((try await response.body.collect(upTo: 4 << 20)).readableBytesView)
        guard response.status == .ok else {
            if response.status == .notFound {
                throw ImageError.registry("\(reference.host)/\(reference.repository):\(tagOrDigest) was not found.")
            }
            throw ImageError.registry(
                "GET manifest \(tagOrDigest) at \(reference.host) failed: HTTP \(response.status.code)")
        }
        var mediaType = response.headers.first(name: "Content-Type") ?? ""
        if let semicolon = mediaType.firstIndex(of: ";") { mediaType = String(mediaType[..<semicolon]) }
        if mediaType.isEmpty || mediaType == "application/json",
            let declared = (try? JSONParser.parse(bytes))?.objectValue?["mediaType"]?.stringValue
        {
            mediaType = declared
        }
        return (bytes, mediaType)
    }

    /// GET a blob.
    func blob(_ digest: Digest) async throws -> [UInt8] {
        let response = try await send(.GET, repositoryURL + "/blobs/" + digest.description)
        guard response.status == .ok else {
            _ = try? await response.body.collect(upTo: 1 << 20)
            throw ImageError.registry(
                "GET blob \(digest) at \(reference.host) failed: HTTP \(response.status.code)")
        }
        return Array((try await response.body.collect(upTo: RegistryClient.largestBlob)).readableBytesView)
    }
}
