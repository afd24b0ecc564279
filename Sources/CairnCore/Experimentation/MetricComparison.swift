/// A metric compared between an original run and its reproduction.
public struct MetricDifference: Sendable, Equatable {
    public var key: String
    public var original: Double?
    public var reproduced: Double?
    /// Whether the values agree within the tolerance (both NaN counts as agreement).
    public var matches: Bool

    public init(key: String, original: Double?, reproduced: Double?, matches: Bool) {
        self.key = key
        self.original = original
        self.reproduced = reproduced
        self.matches = matches
    }
}

/// Compares final metrics of two runs.
public enum MetricComparison {
    /// Compares every key of either run; values match when `|a - b| <= tolerance * max(1, |a|, |b|)`.
    ///
    /// Keys starting with `cairn.` (timings and bookkeeping) are ignored.
    public static func compare(original: [Metric], reproduced: [Metric], tolerance: Double) -> [MetricDifference] {
        let a = Dictionary(original.map { ($0.key, $0.value) }, uniquingKeysWith: { x, _ in x })
        let b = Dictionary(reproduced.map { ($0.key, $0.value) }, uniquingKeysWith: { x, _ in x })
        let keys = Set(a.keys).union(b.keys).filter { !$0.hasPrefix("cairn.") }.sorted()
        return keys.map { key in
            let (x, y) = (a[key], b[key])
            var matches = false
            if let x, let y {
                if x.isNaN || y.isNaN {
                    matches = x.isNaN && y.isNaN
                } else if x == y {
                    matches = true
                } else {
                    matches = abs(x - y) <= tolerance * max(1, abs(x), abs(y))
                }
            }
            return MetricDifference(key: key, original: x, reproduced: y, matches: matches)
        }
    }
}
