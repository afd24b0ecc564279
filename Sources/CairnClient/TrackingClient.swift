import AsyncHTTPClient
import CairnCore
import Foundation
import NIOCore
import NIOHTTP1

/// The HTTP client every ``TrackingClient`` shares: like `HTTPClient.shared`, but a refused connection
/// fails at once instead of being retried until the request's deadline, so a missing server is reported
/// in a moment rather than after a minute.
private let trackingHTTPClient: HTTPClient = {
    var configuration = HTTPClient.Configuration.singletonConfiguration
    configuration.connectionPool.retryConnectionEstablishment = false
    configuration.timeout.connect = .seconds(10)
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}()

/// A client for a Cairn (or MLflow) tracking server's REST API.
///
/// ```swift
/// let client = try TrackingClient(uri: "http://127.0.0.1:5000")
/// let model = try await client.registeredModel(name: "churn")
/// let champion = try await ModelResolver(lookup: client).resolve(try ModelURI(parsing: "models:/churn@champion"))
/// try await client.downloadArtifacts(uri: champion.artifactUri, to: "/tmp/churn")
/// ```
public struct TrackingClient: Sendable {
    /// The server's base URL, without a trailing slash.
    public let baseURL: String
    let http: HTTPClient
    let timeout: TimeAmount
    /// The `Authorization` header sent with every request, from the mlflow client's variables.
    let authorization: String?

    /// The credentials the mlflow client reads: `MLFLOW_TRACKING_TOKEN` (Bearer), else
    /// `MLFLOW_TRACKING_USERNAME` and `MLFLOW_TRACKING_PASSWORD` (Basic).
    static func authorization(from environment: [String: String]) -> String? {
        if let token = environment["MLFLOW_TRACKING_TOKEN"], !token.isEmpty { return "Bearer " + token }
        if let user = environment["MLFLOW_TRACKING_USERNAME"], let password = environment["MLFLOW_TRACKING_PASSWORD"],
            !user.isEmpty
        {
            return "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        }
        return nil
    }

    /// Creates a client for `uri` (http or https); it signs in with the mlflow client's variables
    /// (`MLFLOW_TRACKING_TOKEN`, or `MLFLOW_TRACKING_USERNAME` and `MLFLOW_TRACKING_PASSWORD`).
    public init(
        uri: String, timeoutSeconds: Int64 = 60, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(MlflowError) {
        var base = uri
        while base.hasSuffix("/") { base.removeLast() }
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else {
            throw .invalid("The tracking URI must start with http:// or https:// (got '\(uri)').")
        }
        self.baseURL = base
        self.http = trackingHTTPClient
        self.timeout = .seconds(timeoutSeconds)
        self.authorization = Self.authorization(from: environment)
    }

    /// Calls an API endpoint (`path` relative to `/api/2.0/mlflow/`); GET sends `query`, other methods a JSON body.
    public func call(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil
    ) async throws -> JSONValue {
        var url = baseURL + "/api/2.0/mlflow/" + path
        if !query.isEmpty {
            url += "?" + query.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        }
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: "cairn-client")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await send(request, timeout: timeout)
        let buffer = try await response.body.collect(upTo: 512 * 1024 * 1024)
        let bytes = Array(buffer.readableBytesView)
        let json = bytes.isEmpty ? JSONValue.object([:]) : (try? JSONParser.parse(bytes))
        guard response.status == .ok else {
            if let json, let code = json["error_code"]?.text, let message = json["message"]?.text {
                throw MlflowError(ErrorCode(rawValue: code) ?? .internalError, message)
            }
            throw MlflowError(
                response.status.code == 404 ? .endpointNotFound : .internalError,
                "\(method.rawValue) \(path) failed with HTTP \(response.status.code)")
        }
        guard let json else { throw MlflowError(.internalError, "The server sent a response that is not JSON.") }
        return json
    }

    /// Sends a request, turning transport failures into one line that says what to do.
    func send(_ request: HTTPClientRequest, timeout: TimeAmount) async throws -> HTTPClientResponse {
        var request = request
        if let authorization { request.headers.replaceOrAdd(name: "Authorization", value: authorization) }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: timeout)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw MlflowError(
                .temporarilyUnavailable,
                "The tracking server at \(baseURL) did not answer within \(timeout.nanoseconds / 1_000_000_000) s.")
        } catch {
            throw MlflowError(
                .temporarilyUnavailable,
                "No Cairn server at \(baseURL) — start one with `cairn server` or pass --tracking-uri.")
        }
        if response.status == .unauthorized {
            throw MlflowError(
                .unauthenticated,
                authorization == nil
                    ? "The tracking server at \(baseURL) needs credentials: set MLFLOW_TRACKING_TOKEN, or "
                        + "MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD."
                    : "The tracking server at \(baseURL) refused the credentials in MLFLOW_TRACKING_TOKEN / "
                        + "MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD.")
        }
        return response
    }

    /// POSTs a JSON object built by `body`.
    public func post(_ path: String, _ body: (inout JSONWriter) -> Void) async throws -> JSONValue {
        var w = JSONWriter()
        w.object(body)
        return try await call(.POST, path, body: w.bytes)
    }

    /// Reads an entity from a response field, failing clearly when the server sent something else.
    static func decode<T>(_ value: JSONValue?, as make: (JSONValue) -> T?) throws(MlflowError) -> T {
        guard let value, let entity = make(value) else {
            throw MlflowError(.internalError, "Malformed \(T.self) in the server's response.")
        }
        return entity
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}
