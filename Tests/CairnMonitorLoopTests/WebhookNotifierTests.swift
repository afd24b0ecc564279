import CairnMonitor
import Foundation
import Testing

@testable import CairnMonitorLoop

@Suite struct WebhookNotifierTests {
    func event(_ rule: AlertRule, window: Int, minute: Int64) -> AlertEvent {
        AlertEvent(
            rule: rule, model: "m", version: "1", window: window, windowStartMillis: 0,
            windowEndMillis: minute * 60_000, value: 1)
    }

    /// A loopback port with nothing listening: every POST fails at once with "connection refused".
    func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func deduplicatesPerCooldownAndLimitsTheRate() async throws {
        let notifier = try WebhookNotifier(
            url: "http://127.0.0.1:\(closedPort())/hook", externalURL: "http://x", attempts: 2,
            firstPause: .milliseconds(1), maxPerMinute: 2)
        let drift = AlertRule.defaults[0]
        let errors = AlertRule.defaults[3]
        guard case .failed = await notifier.send(event(drift, window: 1, minute: 1), link: nil) else {
            Issue.record("a refused connection should fail after its tries")
            return
        }
        // The same rule within its cooldown (1 h of log time) is a duplicate, even though delivery failed.
        #expect(await notifier.send(event(drift, window: 2, minute: 30), link: nil) == .duplicate)
        guard case .failed = await notifier.send(event(errors, window: 2, minute: 30), link: nil) else {
            Issue.record("second rule should be tried")
            return
        }
        // Two POSTs this minute: a third alert (the first rule after its cooldown) is over the limit.
        #expect(await notifier.send(event(drift, window: 3, minute: 90), link: nil) == .rateLimited)
        #expect(throws: MonitorError.self) { try WebhookNotifier(url: "ftp://x", externalURL: "") }
    }

    @Test func alertCommandGetsTheAlertInItsEnvironment() async throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-onfire-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let e = event(AlertRule.defaults[0], window: 4, minute: 5)
        let env = AlertCommand.environment(e, windowRun: "run-1", trackingUri: "http://t")
        let status = try await AlertCommand.run(
            "echo \"$CAIRN_ALERT_NAME $CAIRN_MODEL_VERSION $CAIRN_ALERT_WINDOW $CAIRN_ALERT_RUN_ID\" > '\(out.path)'; exit 3",
            environment: env)
        #expect(status == 3)
        #expect(try String(contentsOf: out, encoding: .utf8) == "data_drift 1 4 run-1\n")
        #expect(env["CAIRN_ALERT_WINDOW_END"] == "1970-01-01T00:05:00.000Z")
    }
}
