/// The column drift tests, named by Evidently's ids so configurations carry over.
public enum DriftTestKind: String, Sendable, Codable, CaseIterable {
    /// Two-sample Kolmogorov–Smirnov p-value.
    case ks
    /// Pearson chi-square p-value on category counts.
    case chisquare
    /// Pooled two-proportion Z-test p-value.
    case z
    /// Wasserstein-1 distance divided by the reference standard deviation.
    case wasserstein
    /// Jensen–Shannon distance (natural log) on binned shares.
    case jensenshannon
    /// Population Stability Index on zero-filled binned shares.
    case psi
    /// Kullback–Leibler divergence on zero-filled binned shares.
    case klDiv = "kl_div"
    /// Hellinger distance on binned shares.
    case hellinger
    /// k-sample Anderson–Darling p-value (interpolated, in [0.001, 0.25]).
    case anderson
    /// Two-sample Cramér–von Mises p-value.
    case cramerVonMises = "cramer_von_mises"
    /// Student's pooled-variance t-test p-value.
    case tTest = "t_test"
    /// Welch's unequal-variance t-test p-value.
    case welchTTest = "welch_t_test"
    /// Energy distance (raw).
    case energy = "ed"
    /// Fisher's exact test p-value on a binary column.
    case fisherExact = "fisher_exact"
    /// Total variation distance with a permutation p-value.
    case tvd = "TVD"
    /// G-test (log-likelihood ratio) p-value.
    case gTest = "g_test"
    /// One-sided Mann–Whitney U p-value (alternative "less", as Evidently).
    case mannWhitney = "mannw"
    /// Kernel MMD with a permutation p-value.
    case mmd = "empirical_mmd"

    /// How a score is compared with the threshold.
    public enum Rule: String, Sendable, Codable {
        /// Drift when the p-value is strictly below the threshold.
        case pValueBelow
        /// Drift when the p-value is at or below the threshold.
        case pValueAtOrBelow
        /// Drift when the distance is at or above the threshold.
        case distanceAtOrAbove
        /// Drift when the distance is strictly above the threshold.
        case distanceAbove
    }

    /// Evidently's display name.
    public var displayName: String {
        switch self {
        case .ks: return "K-S p_value"
        case .chisquare: return "chi-square p_value"
        case .z: return "Z-test p_value"
        case .wasserstein: return "Wasserstein distance (normed)"
        case .jensenshannon: return "Jensen-Shannon distance"
        case .psi: return "PSI"
        case .klDiv: return "Kullback-Leibler divergence"
        case .hellinger: return "Hellinger distance"
        case .anderson: return "Anderson-Darling test p_value"
        case .cramerVonMises: return "Cramer-von Mises test p_value"
        case .tTest: return "t-test p_value"
        case .welchTTest: return "Welch t-test p_value"
        case .energy: return "Energy-distance"
        case .fisherExact: return "Fisher's Exact test"
        case .tvd: return "Total-Variation-Distance"
        case .gTest: return "g-test p_value"
        case .mannWhitney: return "Mann-Whitney U-rank test"
        case .mmd: return "Empirical-MMD"
        }
    }

    /// Evidently's default threshold.
    public var defaultThreshold: Double {
        switch self {
        case .ks, .chisquare, .z, .tTest, .welchTTest, .mannWhitney: return 0.05
        default: return 0.1
        }
    }

    /// How the score compares with the threshold.
    public var rule: Rule {
        switch self {
        case .ks, .cramerVonMises: return .pValueAtOrBelow
        case .wasserstein, .jensenshannon, .psi, .klDiv, .hellinger: return .distanceAtOrAbove
        case .energy: return .distanceAbove
        default: return .pValueBelow
        }
    }

    /// Whether the score is a p-value (small means drift).
    public var isPValue: Bool { rule == .pValueBelow || rule == .pValueAtOrBelow }

    /// Whether the test applies to categorical columns (every test applies to numeric columns; the category
    /// tests then treat each distinct number as a category).
    public var supportsCategorical: Bool {
        switch self {
        case .chisquare, .z, .jensenshannon, .psi, .klDiv, .hellinger, .fisherExact, .tvd, .gTest: return true
        default: return false
        }
    }

    /// Whether `score` means drift under `threshold`.
    public func isDrift(score: Double, threshold: Double) -> Bool {
        switch rule {
        case .pValueBelow: return score < threshold
        case .pValueAtOrBelow: return score <= threshold
        case .distanceAtOrAbove: return score >= threshold
        case .distanceAbove: return score > threshold
        }
    }
}
