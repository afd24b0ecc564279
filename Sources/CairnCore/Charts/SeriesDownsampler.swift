/// One point of a metric series as drawn on a chart.
public struct SeriesPoint: Sendable, Equatable {
    /// The training step.
    public var step: Int64
    /// Wall-clock time, ms since the epoch.
    public var timestamp: Int64
    /// The value; NaN points are dropped before charting.
    public var value: Double

    /// Creates a point.
    public init(step: Int64, timestamp: Int64, value: Double) {
        self.step = step
        self.timestamp = timestamp
        self.value = value
    }
}

/// Streaming min/max bucket down-sampling of an ordered series.
///
/// The `total` input points are split into `maxPoints / 2` equal buckets; each bucket keeps its
/// lowest and its highest point in input order, and the first and last points are always kept,
/// so spikes survive and the shape of the curve is preserved. Memory is O(`maxPoints`).
///
/// ```swift
/// var d = SeriesDownsampler(total: 100_000, maxPoints: 500)
/// for p in points { d.add(p) }
/// let drawn = d.finish()   // at most 502 points
/// ```
public struct SeriesDownsampler: Sendable {
    private let total: Int
    private let bucketSize: Int
    private var index = 0
    private var bucketMin: (Int, SeriesPoint)?
    private var bucketMax: (Int, SeriesPoint)?
    private var last: SeriesPoint?
    private var out: [SeriesPoint] = []

    /// Prepares to sample `total` points down to about `maxPoints` (at least 4).
    public init(total: Int, maxPoints: Int) {
        self.total = max(total, 0)
        let buckets = max(max(maxPoints, 4) / 2, 1)
        bucketSize = max(Int((Double(self.total) / Double(buckets)).rounded(.up)), 1)
        out.reserveCapacity(min(self.total, max(maxPoints, 4) + 2))
    }

    /// Whether every point is kept as it is.
    private var keepsAll: Bool { bucketSize <= 2 }

    /// Feeds the next point (in step order). NaN values are skipped.
    public mutating func add(_ point: SeriesPoint) {
        defer { index += 1 }
        guard !point.value.isNaN else { return }
        if keepsAll || index == 0 {
            out.append(point)
            return
        }
        last = point
        if bucketMin == nil || point.value < bucketMin!.1.value { bucketMin = (index, point) }
        if bucketMax == nil || point.value > bucketMax!.1.value { bucketMax = (index, point) }
        if index % bucketSize == 0 { flush() }
    }

    private mutating func flush() {
        switch (bucketMin, bucketMax) {
        case let (lo?, hi?) where lo.0 == hi.0: out.append(lo.1)
        case let (lo?, hi?): out.append(contentsOf: lo.0 < hi.0 ? [lo.1, hi.1] : [hi.1, lo.1])
        default: break
        }
        bucketMin = nil
        bucketMax = nil
    }

    /// Returns the sampled points, always ending with the last non-NaN input point.
    public mutating func finish() -> [SeriesPoint] {
        if keepsAll { return out }
        flush()
        if let last, out.last != last { out.append(last) }
        return out
    }

    /// Samples a whole array at once.
    public static func sample(_ points: [SeriesPoint], maxPoints: Int) -> [SeriesPoint] {
        var d = SeriesDownsampler(total: points.count, maxPoints: maxPoints)
        for p in points { d.add(p) }
        return d.finish()
    }
}
