/// Evidently's default choice of test per column.
///
/// The distinct count is taken over reference and current together, the size over the reference only
/// (missing values dropped). Up to 1000 reference rows a p-value test is used; above that a distance, since
/// p-values of large samples flag negligible shifts.
///
/// | reference rows | type | distinct values | test |
/// |---|---|---|---|
/// | ≤ 1000 | any | ≤ 2 | `z` |
/// | ≤ 1000 | numeric | 3–5 | `chisquare` |
/// | ≤ 1000 | numeric | > 5 | `ks` |
/// | ≤ 1000 | categorical | > 2 | `chisquare` |
/// | > 1000 | numeric | > 5 | `wasserstein` |
/// | > 1000 | numeric ≤ 5 or categorical | — | `jensenshannon` |
public enum DefaultTestSelection {
    /// Reference size at or below which p-value tests are used.
    public static let smallReferenceLimit = 1000

    /// The default test for a numeric column (finite values only).
    public static func numeric(reference: [Double], current: [Double]) -> DriftTestKind {
        // Only "at most 2", "3 to 5" or "more than 5" matters, so counting stops at 6.
        var distinct = Set<Double>()
        for v in reference where distinct.count <= 5 { distinct.insert(v) }
        for v in current where distinct.count <= 5 { distinct.insert(v) }
        let nUnique = distinct.count
        if reference.count <= smallReferenceLimit {
            if nUnique <= 2 { return .z }
            if nUnique <= 5 { return .chisquare }
            return .ks
        }
        return nUnique <= 5 ? .jensenshannon : .wasserstein
    }

    /// The default test for a categorical column.
    public static func categorical(reference: [String], current: [String]) -> DriftTestKind {
        let nUnique = Set(reference).union(current).count
        if reference.count <= smallReferenceLimit { return nUnique <= 2 ? .z : .chisquare }
        return .jensenshannon
    }
}
