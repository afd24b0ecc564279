/// Decides which requests a canary answers: `percent` of traffic, the same model for the same
/// routing key (sticky), random for requests without one.
///
/// ```swift
/// let split = CanarySplit(percent: 10)
/// split.routesToCanary(key: "user-42")   // the same answer for every request with this key
/// ```
public struct CanarySplit: Sendable, Equatable {
    /// Share of traffic in percent, 0…100.
    public var percent: Double

    public init(percent: Double) {
        self.percent = min(100, max(0, percent))
    }

    /// Whether a request with this routing key (or none) goes to the canary.
    public func routesToCanary(key: String?, random: Double = Double.random(in: 0..<1)) -> Bool {
        guard percent > 0 else { return false }
        guard percent < 100 else { return true }
        let point: Double
        if let key, !key.isEmpty {
            point = Double(Self.hash(key) % 1_000_000) / 1_000_000
        } else {
            point = random
        }
        return point * 100 < percent
    }

    /// FNV-1a 64 of the key's UTF-8 bytes with a final avalanche, so near-identical keys spread.
    static func hash(_ key: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }
}
