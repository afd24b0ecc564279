import CairnCore

/// The one-line verdict of a reproduction: what matched (code, data, environment) and how the
/// metrics compare, e.g. `identical code, data and environment: metrics identical` or
/// `environment differed in 2 packages: 1 of 3 metrics differ (largest difference 0.25)`.
public enum ReproductionVerdict {
    /// Builds the verdict.
    public static func line(
        codeRebuilt: Bool, dataChanged: Bool, environment: EnvironmentDiff?, metrics: [MetricDifference]
    ) -> String {
        var differed: [String] = []
        if !codeRebuilt { differed.append("code not rebuilt from a commit") }
        if dataChanged { differed.append("data changed") }
        if let environment, !environment.isEmpty {
            var parts: [String] = []
            if environment.python != nil { parts.append("Python") }
            if environment.packageCount > 0 {
                parts.append("\(environment.packageCount) package\(environment.packageCount == 1 ? "" : "s")")
            }
            differed.append("environment differed in " + parts.joined(separator: " and "))
        } else if environment == nil {
            differed.append("no recorded environment to compare")
        }
        let head = differed.isEmpty ? "identical code, data and environment" : differed.joined(separator: "; ")
        let bad = metrics.filter { !$0.matches }
        let tail: String
        if metrics.isEmpty {
            tail = "no metrics to compare"
        } else if bad.isEmpty {
            tail = "metrics identical"
        } else {
            let largest = bad.compactMap { d -> Double? in
                guard let a = d.original, let b = d.reproduced else { return nil }
                return abs(a - b)
            }.max()
            tail =
                "\(bad.count) of \(metrics.count) metrics differ"
                + (largest.map { " (largest difference \($0))" } ?? " (some are missing)")
        }
        return head + ": " + tail
    }
}
