import AsyncHTTPClient
import CairnCore
import CairnMonitor
import Foundation
import NIOCore

/// The HTTP client webhooks go through: a refused connection fails at once (and is retried by the
/// notifier with its own pauses) instead of being retried until the request's deadline.
private let webhookHTTPClient: HTTPClient = {
    var configuration = HTTPClient.Configuration.singletonConfiguration
    configuration.connectionPool.retryConnectionEstablishment = false
    configuration.timeout.connect = .seconds(5)
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}()

/// Delivers alerts to a webhook as Alertmanager-shaped JSON (``AlertmanagerPayload``): each alert is
/// retried on connection errors, 429 and 5xx answers (`attempts` tries with doubling pauses), sent
/// once per fingerprint per rule cooldown, and at most `maxPerMinute` POSTs leave per minute.
public actor WebhookNotifier {
    /// What happened to one alert.
    public enum Outcome: Sendable, Equatable {
        /// The receiver answered 2xx.
        case delivered
        /// Already sent within the rule's cooldown.
        case duplicate
        /// Over the per-minute limit.
        case rateLimited
        /// Every try failed; the last reason.
        case failed(String)
    }

    let url: String
    let externalURL: String
    let attempts: Int
    let firstPause: Duration
    let maxPerMinute: Int
    private var sent: [String: Int64] = [:]
    private var recent: [ContinuousClock.Instant] = []

    /// Creates a notifier for `url`.
    public init(
        url: String, externalURL: String, attempts: Int = 3, firstPause: Duration = .milliseconds(500),
        maxPerMinute: Int = 20
    ) throws(MonitorError) {
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
            throw .invalid("--webhook \(url): give an http:// or https:// URL")
        }
        self.url = url
        self.externalURL = externalURL
        self.attempts = max(1, attempts)
        self.firstPause = firstPause
        self.maxPerMinute = max(1, maxPerMinute)
    }

    /// Sends one alert; `link` is the window run's page.
    public func send(_ event: AlertEvent, link: String?) async -> Outcome {
        if let last = sent[event.fingerprint],
            Double(event.windowEndMillis - last) < event.rule.cooldownSeconds * 1000
        {
            return .duplicate
        }
        let now = ContinuousClock.now
        recent.removeAll { now - $0 > .seconds(60) }
        guard recent.count < maxPerMinute else { return .rateLimited }
        recent.append(now)
        sent[event.fingerprint] = event.windowEndMillis
        let body = AlertmanagerPayload.render(event, link: link, externalURL: externalURL)
        var pause = firstPause
        var reason = ""
        for attempt in 1...attempts {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
            do {
                let response = try await webhookHTTPClient.execute(request, timeout: .seconds(10))
                _ = try? await response.body.collect(upTo: 1 << 20)
                if (200..<300).contains(response.status.code) { return .delivered }
                reason = "HTTP \(response.status.code)"
                if response.status.code != 429 && response.status.code < 500 { break }
            } catch {
                reason = "\(error)"
            }
            if attempt < attempts {
                try? await Task.sleep(for: pause)
                pause *= 2
            }
        }
        return .failed(reason)
    }
}
