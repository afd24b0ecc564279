/// Watches a canary's recent requests and says when it breaks its limits: an error rate above
/// `maxErrorRate` or a 99th-percentile latency above `maxP99Millis`, over the requests of the last
/// `windowSeconds`, once at least `minRequests` were seen in that window.
///
/// Errors are answers with status 500 or more (the model failed), not refused inputs.
public struct RollbackGuard: Sendable {
    /// The limits.
    public struct Limits: Sendable, Equatable {
        public var maxErrorRate: Double?
        public var maxP99Millis: Double?
        public var windowSeconds: Double
        public var minRequests: Int

        public init(maxErrorRate: Double?, maxP99Millis: Double?, windowSeconds: Double = 60, minRequests: Int = 20) {
            self.maxErrorRate = maxErrorRate
            self.maxP99Millis = maxP99Millis
            self.windowSeconds = windowSeconds
            self.minRequests = minRequests
        }

        /// Whether any limit is set.
        public var isActive: Bool { maxErrorRate != nil || maxP99Millis != nil }
    }

    /// A broken limit, for the log and the metrics.
    public struct Breach: Sendable, Equatable, CustomStringConvertible {
        public var errorRate: Double
        public var p99Millis: Double
        public var requests: Int
        public var reason: String
        public var description: String { reason }
    }

    struct Sample {
        var time: Double
        var failed: Bool
        var millis: Double
    }

    public let limits: Limits
    private var samples: [Sample] = []
    private var head = 0

    public init(limits: Limits) { self.limits = limits }

    /// Records one canary answer at `time` (seconds on any monotonic clock).
    public mutating func record(time: Double, status: Int, millis: Double) {
        samples.append(Sample(time: time, failed: status >= 500, millis: millis))
        trim(now: time)
    }

    /// The breach, if the window now breaks a limit.
    public mutating func evaluate(now: Double) -> Breach? {
        trim(now: now)
        let window = samples[head...]
        guard limits.isActive, window.count >= limits.minRequests else { return nil }
        let errors = window.filter(\.failed).count
        let rate = Double(errors) / Double(window.count)
        let p99 = Percentile.of(window.map(\.millis), 0.99)
        if let max = limits.maxErrorRate, rate > max {
            return Breach(
                errorRate: rate, p99Millis: p99, requests: window.count,
                reason: "error rate \(percentText(rate)) over \(window.count) requests exceeds \(percentText(max))")
        }
        if let max = limits.maxP99Millis, p99 > max {
            return Breach(
                errorRate: rate, p99Millis: p99, requests: window.count,
                reason: "p99 latency \(Int(p99.rounded())) ms over \(window.count) requests exceeds \(Int(max)) ms")
        }
        return nil
    }

    private mutating func trim(now: Double) {
        while head < samples.count, samples[head].time < now - limits.windowSeconds { head += 1 }
        if head > 4096, head * 2 > samples.count {
            samples.removeFirst(head)
            head = 0
        }
    }
}

func percentText(_ rate: Double) -> String {
    let p = (rate * 1000).rounded() / 10
    return (p == p.rounded() ? String(Int(p)) : String(p)) + " %"
}

/// Nearest-rank percentiles.
public enum Percentile {
    /// The `q`-quantile (0…1) of `values` by nearest rank; 0 for no values.
    public static func of(_ values: [Double], _ q: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }
}
