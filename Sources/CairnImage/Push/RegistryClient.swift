import AsyncHTTPClient
import CairnCore
import Foundation
import NIOCore
import NIOHTTP1

/// Pushes an image from an OCI layout to a registry over the OCI distribution API: each blob is checked with HEAD
/// and uploaded monolithically (POST for an upload URL, then PUT with the digest) when missing, then the manifest is
/// PUT under the tag. Answers 401 with Basic or Bearer challenges are retried once with the credentials.
///
/// ```swift
/// let client = RegistryClient(insecure: true, credentials: nil)
/// let digest = try await client.push(layout: try OCILayout(existing: "out/churn"), tag: "3",
///                                    to: try ImageReference(parsing: "127.0.0.1:5055/mlops/churn:3"))
/// ```
public struct RegistryClient: Sendable {
    /// A user name and password (or token) for the registry.
    public struct Credentials: Sendable {
        /// The user name.
        public var username: String
        /// The password or token.
        public var password: String

        /// Creates credentials.
        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    /// Plain HTTP instead of HTTPS.
    public let insecure: Bool
    /// Credentials for Basic auth or for fetching a Bearer token.
    public let credentials: Credentials?
    let http: HTTPClient
    let timeout: TimeAmount = .minutes(10)

    /// Creates a client.
    public init(insecure: Bool, credentials: Credentials?) {
        self.insecure = insecure
        self.credentials = credentials
        self.http = HTTPClient.shared
    }

    /// Pushes the image tagged `tag` in `layout` to `reference`; returns the manifest digest the registry reports.
    public func push(
        layout: OCILayout, tag: String, to reference: ImageReference, progress: (String) -> Void = { _ in }
    ) async throws -> Digest {
        let descriptor = try layout.manifestDescriptor(tag: tag)
        let manifestBytes = try layout.readBlob(descriptor.digest)
        let manifest = try ImageManifest(json: manifestBytes)
        let transfer = RegistryTransfer(client: self, reference: reference)
        for blob in manifest.layers + [manifest.config] {
            if try await transfer.blobExists(blob.digest) {
                progress("Blob \(blob.digest.hex.prefix(12)) already present")
                continue
            }
            try await transfer.upload(try layout.readBlob(blob.digest), digest: blob.digest)
            progress("Blob \(blob.digest.hex.prefix(12)) uploaded (\(blob.size) bytes)")
        }
        let pushed = try await transfer.putManifest(manifestBytes, mediaType: manifest.mediaType, tag: reference.tag)
        progress("Manifest \(pushed) → \(reference)")
        guard pushed == descriptor.digest else {
            throw ImageError.registry("The registry stored the manifest as \(pushed), expected \(descriptor.digest).")
        }
        return pushed
    }
}
