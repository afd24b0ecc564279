import AsyncHTTPClient
import CairnCore
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// One push's conversation with a registry: the base URL, and the authorization header once a challenge was answered.
final class RegistryTransfer: Sendable {
    let client: RegistryClient
    let reference: ImageReference
    let base: String
    private let authorization = Mutex<String?>(nil)

    init(client: RegistryClient, reference: ImageReference) {
        self.client = client
        self.reference = reference
        self.base = (client.insecure ? "http://" : "https://") + reference.host
    }

    var repositoryURL: String { base + "/v2/" + reference.repository }

    /// HEAD on the blob: 200 means the registry has it.
    func blobExists(_ digest: Digest) async throws -> Bool {
        let response = try await send(.HEAD, repositoryURL + "/blobs/" + digest.description)
        switch response.status.code {
        case 200: return true
        case 404: return false
        default: throw failure("HEAD blob \(digest)", response.status, body: [])
        }
    }

    /// Monolithic upload: POST for an upload location, PUT the bytes there with `?digest=`.
    func upload(_ bytes: [UInt8], digest: Digest) async throws {
        let start = try await send(.POST, repositoryURL + "/blobs/uploads/", headers: [("Content-Length", "0")])
        guard start.status.code == 202, let location = start.headers.first(name: "Location") else {
            throw failure("POST blob upload", start.status, body: try await Self.body(start))
        }
        var url = location.hasPrefix("http://") || location.hasPrefix("https://") ? location : base + location
        url +=
            (url.contains("?") ? "&" : "?") + "digest=" + digest.description.replacingOccurrences(of: ":", with: "%3A")
        let put = try await send(
            .PUT, url, headers: [("Content-Type", "application/octet-stream")], body: bytes)
        guard put.status.code == 201 else {
            throw failure("PUT blob \(digest)", put.status, body: try await Self.body(put))
        }
    }

    /// PUT the manifest under `tag`; returns the digest the registry reports (or the bytes' own).
    func putManifest(_ bytes: [UInt8], mediaType: String, tag: String) async throws -> Digest {
        let response = try await send(
            .PUT, repositoryURL + "/manifests/" + tag, headers: [("Content-Type", mediaType)], body: bytes)
        guard response.status.code == 201 else {
            throw failure("PUT manifest", response.status, body: try await Self.body(response))
        }
        return response.headers.first(name: "Docker-Content-Digest").flatMap(Digest.init(parsing:)) ?? Digest(of: bytes)
    }

    /// Sends a request; on 401 answers the challenge once and repeats it.
    func send(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil
    ) async throws -> HTTPClientResponse {
        let first = try await execute(method, url, headers: headers, body: body)
        guard first.status == .unauthorized, let challenge = first.headers.first(name: "WWW-Authenticate") else {
            return first
        }
        _ = try? await first.body.collect(upTo: 1 << 20)
        try await answer(challenge)
        let second = try await execute(method, url, headers: headers, body: body)
        if second.status == .unauthorized {
            _ = try? await second.body.collect(upTo: 1 << 20)
            let who = client.credentials.map { "the credentials of '\($0.username)'" } ?? "the request"
            throw ImageError.registry("The registry \(reference.host) refused \(who) (HTTP 401).")
        }
        return second
    }

    private func execute(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)], body: [UInt8]?
    ) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        if let auth = authorization.withLock({ $0 }) { request.headers.add(name: "Authorization", value: auth) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            return try await client.http.execute(request, timeout: client.timeout)
        } catch {
            throw ImageError.registry("Cannot reach the registry at \(base): \(error).")
        }
    }

    /// Answers a Basic or Bearer challenge.
    private func answer(_ challenge: String) async throws {
        let scheme = challenge.split(separator: " ", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        if scheme == "basic" {
            guard let basic = basicValue else {
                throw ImageError.registry(
                    "The registry \(reference.host) asks for a user name and password (--username).")
            }
            authorization.withLock { $0 = basic }
            return
        }
        guard scheme == "bearer" else { throw ImageError.registry("Unsupported registry challenge: \(challenge)") }
        let parameters = Self.challengeParameters(challenge)
        guard let realm = parameters["realm"] else { throw ImageError.registry("Bearer challenge without a realm.") }
        var query: [String] = []
        for key in ["service", "scope"] {
            if let value = parameters[key] {
                query.append(key + "=" + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value))
            }
        }
        var request = HTTPClientRequest(url: realm + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
        if let basic = basicValue { request.headers.add(name: "Authorization", value: basic) }
        let response: HTTPClientResponse
        do { response = try await client.http.execute(request, timeout: .seconds(60)) } catch {
            throw ImageError.registry("Cannot reach the token service \(realm): \(error).")
        }
        let bytes = try await Self.body(response)
        guard response.status == .ok, let json = try? JSONParser.parse(bytes),
            let token = json["token"]?.stringValue ?? json["access_token"]?.stringValue
        else { throw ImageError.registry("The token service \(realm) refused (HTTP \(response.status.code)).") }
        authorization.withLock { $0 = "Bearer " + token }
    }

    private var basicValue: String? {
        client.credentials.map { "Basic " + Data("\($0.username):\($0.password)".utf8).base64EncodedString() }
    }

    /// `key="value"` pairs of a challenge (`Bearer realm="…",service="…",scope="…"`).
    static func challengeParameters(_ challenge: String) -> [String: String] {
        var result: [String: String] = [:]
        guard let space = challenge.firstIndex(of: " ") else { return result }
        var rest = Substring(challenge[challenge.index(after: space)...])
        while let eq = rest.firstIndex(of: "=") {
            let key = rest[..<eq].trimmingCharacters(in: CharacterSet(charactersIn: " ,")).lowercased()
            rest = rest[rest.index(after: eq)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                let end = rest.firstIndex(of: "\"") ?? rest.endIndex
                value = String(rest[..<end])
                rest = end < rest.endIndex ? rest[rest.index(after: end)...] : ""
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = String(rest[..<end])
                rest = rest[end...]
            }
            result[key] = value
        }
        return result
    }

    static func body(_ response: HTTPClientResponse) async throws -> [UInt8] {
        Array((try await response.body.collect(upTo: 1 << 20)).readableBytesView)
    }

    private func failure(_ what: String, _ status: HTTPResponseStatus, body: [UInt8]) -> ImageError {
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        return .registry("\(what) at \(reference.host) failed: HTTP \(status.code)\(text.isEmpty ? "" : ": " + text)")
    }
}
