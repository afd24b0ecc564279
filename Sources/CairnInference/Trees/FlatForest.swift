/// A tree ensemble laid out flat: every node of every tree in parallel arrays (struct of arrays),
/// each tree's nodes contiguous from its root, so that evaluation walks a few cache lines and
/// allocates nothing. XGBoost and LightGBM models both load into it; their differences (`<` vs
/// `<=`, what a missing value does, which side a category goes) are folded into per-node flags and
/// thresholds when the forest is built.
struct FlatForest: Sendable {
    /// Feature index of each split node, -1 for a leaf.
    var feature: [Int32] = []
    /// Go left iff `x < threshold` (numeric splits); the leaf value for leaves; the index into
    /// ``categorySets`` for categorical splits.
    var threshold: [Double] = []
    /// Absolute index of the left child; the right child follows it.
    var left: [Int32] = []
    /// ``NodeFlags`` bits.
    var flags: [UInt8] = []
    /// Root node of each tree.
    var roots: [Int32] = []
    /// Output column (class) each tree adds to.
    var treeGroup: [Int32] = []
    /// Number of outputs per row (classes for multiclass models, else 1).
    var groupCount = 1
    /// Number of input features.
    var featureCount = 0
    /// Bitsets of categorical splits: `(start, wordCount)` into ``categoryWords``.
    var categorySets: [(start: Int32, count: Int32)] = []
    /// 32-bit words of all category bitsets.
    var categoryWords: [UInt32] = []
    /// How a negative category counts: XGBoost treats any value below 0 as not in the set, LightGBM
    /// truncates to an integer first (so -0.5 is category 0).
    var negativeCategoryIsInvalid = true
    /// Linear leaves (LightGBM `linear_tree`), indexed like the nodes; nil for constant leaves.
    var linear: LinearLeaves?

    /// Bits of ``flags``.
    enum NodeFlags {
        /// A missing value goes left.
        static let defaultLeft: UInt8 = 1
        /// The split tests a category set.
        static let categorical: UInt8 = 2
        /// NaN is read as 0 before the test (LightGBM missing_type None and Zero).
        static let nanAsZero: UInt8 = 4
        /// Values within ±1e-35 are missing (LightGBM missing_type Zero).
        static let zeroIsMissing: UInt8 = 8
        /// A category in the set goes left (LightGBM); otherwise it goes right (XGBoost).
        static let matchGoesLeft: UInt8 = 16
    }

    /// LightGBM's zero threshold (a float constant, 1e-35f).
    static let zeroThreshold = Double(Float(1e-35))

    /// Number of trees.
    var treeCount: Int { roots.count }

    /// Appends one tree given in node order with child indices relative to its root (leaves have
    /// `feature == -1` and their value in `threshold`). Checks every index so evaluation cannot run
    /// out of bounds or loop. Returns the tree's nodes in their new order (original indices).
    mutating func appendTree(
        feature f: [Int32], threshold t: [Double], left l: [Int32], right r: [Int32], flags fl: [UInt8],
        group: Int
    ) throws(InferenceError) -> [Int] {
        let n = f.count
        guard n > 0, t.count == n, l.count == n, r.count == n, fl.count == n else {
            throw .unsupported("tree \(roots.count) has inconsistent node arrays")
        }
        guard group >= 0, group < groupCount else {
            throw .unsupported("tree \(roots.count) adds to output \(group) of \(groupCount)")
        }
        let base = Int32(feature.count)
        for i in 0..<n where f[i] >= 0 {
            guard Int(f[i]) < featureCount else {
                throw .unsupported("tree \(roots.count) splits on feature \(f[i]) of \(featureCount)")
            }
            guard l[i] >= 0, r[i] >= 0, Int(l[i]) < n, Int(r[i]) < n else {
                throw .unsupported("tree \(roots.count) has an invalid child index at node \(i)")
            }
            if fl[i] & NodeFlags.categorical != 0 {
                guard t[i] >= 0, Int(t[i]) < categorySets.count else {
                    throw .unsupported("tree \(roots.count) has an invalid category set at node \(i)")
                }
            }
        }
        // Breadth-first from the root, every node reached at most once (so it is a tree and every walk
        // ends at a leaf), numbering each node's two children next to each other: the right child is
        // always the left one plus one, and nodes no walk reaches are dropped.
        var seen = [Bool](repeating: false, count: n)
        var order = [0]
        seen[0] = true
        var next = 0
        while next < order.count {
            let i = order[next]
            next += 1
            guard f[i] >= 0 else { continue }
            for child in [Int(l[i]), Int(r[i])] {
                guard !seen[child] else {
                    throw .unsupported("tree \(roots.count) is not a tree: node \(child) is reached twice")
                }
                seen[child] = true
                order.append(child)
            }
        }
        var position = [Int32](repeating: -1, count: n)
        for (k, i) in order.enumerated() { position[i] = Int32(k) }
        roots.append(base)
        treeGroup.append(Int32(group))
        for i in order {
            feature.append(f[i])
            threshold.append(t[i])
            left.append(f[i] >= 0 ? base + position[Int(l[i])] : 0)
            flags.append(fl[i])
        }
        return order
    }

    /// Adds a category bitset built from category values; returns its index for ``threshold``.
    mutating func addCategorySet(_ categories: [Int64]) throws(InferenceError) -> Int {
        guard categories.allSatisfy({ $0 >= 0 && $0 < 1 << 24 }) else {
            throw .unsupported("a categorical split holds a category outside 0..<2^24")
        }
        let words = Int((categories.max() ?? -1) / 32 + 1)
        var bits = [UInt32](repeating: 0, count: words)
        for c in categories { bits[Int(c / 32)] |= 1 << UInt32(c % 32) }
        return addCategoryWords(bits)
    }

    /// Adds a category bitset given as 32-bit words; returns its index for ``threshold``.
    mutating func addCategoryWords(_ words: [UInt32]) -> Int {
        categorySets.append((Int32(categoryWords.count), Int32(words.count)))
        categoryWords += words
        return categorySets.count - 1
    }
}

/// LightGBM linear-tree leaves: `constant + Σ coefficient × x`, or the plain leaf value when one of
/// the leaf's features is missing.
struct LinearLeaves: Sendable {
    /// Per node: the constant term (leaves only).
    var constant: [Double]
    /// Per node: start of the leaf's terms in ``features``/``coefficients``.
    var start: [Int32]
    /// Per node: number of terms.
    var count: [Int32]
    /// Feature index of each term.
    var features: [Int32]
    /// Coefficient of each term.
    var coefficients: [Double]
}
