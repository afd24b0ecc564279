/// Frequent items by the Misra–Gries summary, mergeable as in Agarwal et al., "Mergeable Summaries"
/// (PODS 2012). With capacity m, every count is under-estimated by at most n/(m + 1); with at most m
/// distinct values the counts are exact.
public struct FrequentItems: Sendable, Codable, Equatable {
    /// Maximum number of counters.
    public let capacity: Int
    /// Counters by item.
    public private(set) var counts: [String: Int]
    /// Number of items summarised.
    public private(set) var total: Int
    /// Sum of the amounts subtracted from every counter (the worst-case under-count).
    public private(set) var maxError: Int

    /// Creates an empty summary.
    public init(capacity: Int = 1000) {
        self.capacity = max(capacity, 1)
        self.counts = [:]
        self.total = 0
        self.maxError = 0
    }

    /// Whether the counts are exact.
    public var isExact: Bool { maxError == 0 }

    /// Adds one item.
    public mutating func insert(_ item: String, count: Int = 1) {
        total += count
        counts[item, default: 0] += count
        if counts.count > capacity { shrink() }
    }

    /// Merges another summary into this one.
    public mutating func merge(_ other: FrequentItems) {
        for (item, c) in other.counts { counts[item, default: 0] += c }
        total += other.total
        maxError += other.maxError
        if counts.count > capacity { shrink() }
    }

    private mutating func shrink() {
        let sorted = counts.values.sorted(by: >)
        let cut = sorted[capacity]
        maxError += cut
        var kept: [String: Int] = [:]
        for (item, c) in counts where c - cut > 0 { kept[item] = c - cut }
        counts = kept
    }
}
