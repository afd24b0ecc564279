/// Down-sampling of metric histories for charts (`get-history-bulk-interval`).
public enum MetricSampling {
    /// Picks at most `maxResults` evenly spaced steps out of the sorted distinct `steps`, always
    /// keeping the first and the last.
    public static func sampledSteps(_ steps: [Int64], maxResults: Int) -> Set<Int64> {
        let distinct = Array(Set(steps)).sorted()
        guard distinct.count > maxResults, maxResults > 0 else { return Set(distinct) }
        if maxResults == 1 { return [distinct[0]] }
        var chosen = Set<Int64>()
        let last = distinct.count - 1
        for i in 0..<maxResults {
            let index = Int((Double(i) * Double(last) / Double(maxResults - 1)).rounded())
            chosen.insert(distinct[min(index, last)])
        }
        return chosen
    }

    /// Keeps the points at sampled steps, ordered by run id, then step and timestamp.
    public static func sample(_ metrics: [Metric], maxResults: Int) -> [Metric] {
        let keep = sampledSteps(metrics.map(\.step), maxResults: maxResults)
        return metrics.filter { keep.contains($0.step) }.sorted {
            ($0.runId ?? "", $0.step, $0.timestamp) < ($1.runId ?? "", $1.step, $1.timestamp)
        }
    }
}
