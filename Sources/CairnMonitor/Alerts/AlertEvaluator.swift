import CairnCore

/// One alert raised by a rule on a window.
public struct AlertEvent: Sendable, Equatable {
    /// The rule.
    public var rule: AlertRule
    /// The model and version watched.
    public var model: String
    /// The version watched.
    public var version: String
    /// The window that raised it.
    public var window: Int
    /// The window's start and end (milliseconds since the epoch).
    public var windowStartMillis: Int64
    /// The window's end.
    public var windowEndMillis: Int64
    /// The metric's value in that window.
    public var value: Double

    /// Creates an event.
    public init(
        rule: AlertRule, model: String, version: String, window: Int, windowStartMillis: Int64,
        windowEndMillis: Int64, value: Double
    ) {
        self.rule = rule
        self.model = model
        self.version = version
        self.window = window
        self.windowStartMillis = windowStartMillis
        self.windowEndMillis = windowEndMillis
        self.value = value
    }

    /// A stable identity for deduplication: the same rule on the same model version.
    public var fingerprint: String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in "\(rule.name)\u{0}\(model)\u{0}\(version)".utf8 {
            h = (h ^ UInt64(b)) &* 0x100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// A one-line description.
    public var message: String {
        "\(rule.name) (\(rule.severity.rawValue)) on \(model)/\(version), window \(window): \(rule.metric) = "
            + "\(AlertRule.format((value * 10000).rounded() / 10000)) \(rule.op.rawValue) \(AlertRule.format(rule.threshold))"
    }
}

/// Applies alert rules to windows in order: a rule fires when its condition has held for `for`
/// consecutive windows, and again only once its cooldown (in log time) has passed.
///
/// ```swift
/// var alerts = AlertEvaluator(rules: AlertRule.defaults, model: "churn", version: "3")
/// for report in windows { for event in alerts.evaluate(report) { print(event.message) } }
/// ```
public struct AlertEvaluator: Sendable {
    /// The rules.
    public let rules: [AlertRule]
    let model: String
    let version: String
    private var streaks: [Int]
    private var lastFired: [Int64?]

    /// Starts with no condition held.
    public init(rules: [AlertRule], model: String, version: String) {
        self.rules = rules
        self.model = model
        self.version = version
        streaks = Array(repeating: 0, count: rules.count)
        lastFired = Array(repeating: nil, count: rules.count)
    }

    /// Whether each rule's condition holds now (after the latest window), for the gauges.
    public func active(_ index: Int) -> Bool { streaks[index] >= rules[index].forWindows }

    /// The alerts a window raises.
    public mutating func evaluate(_ report: WindowReport) -> [AlertEvent] {
        let metrics = Dictionary(report.metrics.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        var out: [AlertEvent] = []
        for (i, rule) in rules.enumerated() {
            guard let value = metrics[rule.metric], rule.op.holds(value, rule.threshold) else {
                streaks[i] = 0
                continue
            }
            streaks[i] += 1
            guard streaks[i] >= rule.forWindows else { continue }
            let now = report.endMillis
            if let last = lastFired[i], Double(now - last) < rule.cooldownSeconds * 1000 { continue }
            lastFired[i] = now
            out.append(
                AlertEvent(
                    rule: rule, model: model, version: version, window: report.index,
                    windowStartMillis: report.startMillis, windowEndMillis: report.endMillis, value: value))
        }
        return out
    }
}
