/// Reads one `Tree=<i>` block of a LightGBM text model.
struct LightGBMTreeReader {
    let fields: [String: Substring]
    let index: Int

    /// decision_type bits: categorical split.
    static let categoricalMask = 1
    /// decision_type bits: missing values go left.
    static let defaultLeftMask = 2

    private func fail(_ what: String) -> InferenceError {
        .unsupported("LightGBM tree \(index): \(what)")
    }

    private func numbers<T>(_ key: String, count: Int, _ parse: (Substring) -> T?) throws(InferenceError) -> [T] {
        guard count > 0 else { return [] }
        guard let value = fields[key] else { throw fail("missing '\(key)'") }
        var out: [T] = []
        out.reserveCapacity(count)
        for item in value.split(separator: " ") {
            guard let v = parse(item) else { throw fail("'\(key)' holds '\(item.prefix(40))', not a number") }
            out.append(v)
        }
        guard out.count == count else { throw fail("'\(key)' has \(out.count) values, expected \(count)") }
        return out
    }

    /// Appends the tree to `forest`: split nodes first (LightGBM's internal node order), then leaves.
    func append(to forest: inout FlatForest, group: Int) throws(InferenceError) {
        guard let leaves = fields["num_leaves"].flatMap({ Int($0) }), leaves >= 1, leaves < 1 << 24 else {
            throw fail("invalid num_leaves")
        }
        let splits = leaves - 1
        let leafValues = try numbers("leaf_value", count: leaves) { Double($0) }
        let splitFeature = try numbers("split_feature", count: splits) { Int32($0) }
        let thresholds = try numbers("threshold", count: splits) { Double($0) }
        let decisionType = try numbers("decision_type", count: splits) { Int($0) }
        let leftChild = try numbers("left_child", count: splits) { Int($0) }
        let rightChild = try numbers("right_child", count: splits) { Int($0) }
        let categoryCount = fields["num_cat"].flatMap { Int($0) } ?? 0
        guard categoryCount >= 0, categoryCount < 1 << 24 else { throw fail("invalid num_cat") }
        let boundaries = try numbers("cat_boundaries", count: categoryCount > 0 ? categoryCount + 1 : 0) { Int($0) }
        var words: [UInt32] = []
        if categoryCount > 0 {
            guard let last = boundaries.last, last >= 0, last < 1 << 26 else { throw fail("invalid cat_boundaries") }
            words = try numbers("cat_threshold", count: last) { UInt32($0) }
        }
        let firstSet = forest.categorySets.count
        for k in 0..<categoryCount {
            let (a, b) = (boundaries[k], boundaries[k + 1])
            guard a >= 0, a <= b, b <= words.count else { throw fail("cat_boundaries out of order") }
            _ = forest.addCategoryWords(Array(words[a..<b]))
        }

        let n = splits + leaves
        var feature = [Int32](repeating: -1, count: n)
        var threshold = [Double](repeating: 0, count: n)
        var left = [Int32](repeating: 0, count: n)
        var right = [Int32](repeating: 0, count: n)
        var flags = [UInt8](repeating: 0, count: n)
        func node(_ child: Int) throws(InferenceError) -> Int32 {
            let target = child >= 0 ? child : splits + ~child
            guard (0..<n).contains(target), child >= 0 ? child < splits : ~child < leaves else {
                throw fail("child index \(child) out of range")
            }
            return Int32(target)
        }
        for i in 0..<splits {
            guard splitFeature[i] >= 0 else { throw fail("split_feature \(splitFeature[i]) is negative") }
            feature[i] = splitFeature[i]
            left[i] = try node(leftChild[i])
            right[i] = try node(rightChild[i])
            let type = decisionType[i]
            if type & Self.categoricalMask != 0 {
                let set = Int(thresholds[i])
                guard set >= 0, set < categoryCount else { throw fail("categorical split names set \(set)") }
                threshold[i] = Double(firstSet + set)
                flags[i] = FlatForest.NodeFlags.categorical | FlatForest.NodeFlags.matchGoesLeft
                continue
            }
            // x <= t exactly when x < the next double above t.
            threshold[i] = thresholds[i].nextUp
            var bits: UInt8 = type & Self.defaultLeftMask != 0 ? FlatForest.NodeFlags.defaultLeft : 0
            switch (type >> 2) & 3 {
            case 0: bits |= FlatForest.NodeFlags.nanAsZero
            case 1: bits |= FlatForest.NodeFlags.nanAsZero | FlatForest.NodeFlags.zeroIsMissing
            case 2: break
            default: throw fail("unknown missing type in decision_type \(type)")
            }
            flags[i] = bits
        }
        for j in 0..<leaves { threshold[splits + j] = leafValues[j] }
        let order = try forest.appendTree(
            feature: feature, threshold: threshold, left: left, right: right, flags: flags, group: group)
        if forest.linear != nil { try appendLinear(to: &forest, splits: splits, leaves: leaves, order: order) }
    }

    /// Appends the tree's linear-leaf terms in the forest's node `order` (constant leaves get no terms
    /// and their value as constant).
    private func appendLinear(
        to forest: inout FlatForest, splits: Int, leaves: Int, order: [Int]
    ) throws(InferenceError) {
        var constants = [Double](repeating: 0, count: splits) + [Double](repeating: 0, count: leaves)
        var starts = [Int32](repeating: 0, count: splits + leaves)
        var counts = [Int32](repeating: 0, count: splits + leaves)
        if fields["is_linear"] == "1" {
            let leafConst = try numbers("leaf_const", count: leaves) { Double($0) }
            let perLeaf = try numbers("num_features", count: leaves) { Int($0) }
            guard perLeaf.allSatisfy({ $0 >= 0 && $0 < 1 << 24 }) else { throw fail("invalid num_features") }
            let total = perLeaf.reduce(0, +)
            let features = try numbers("leaf_features", count: total) { Int32($0) }
            let coefficients = try numbers("leaf_coeff", count: total) { Double($0) }
            guard features.allSatisfy({ $0 >= 0 && Int($0) < forest.featureCount }) else {
                throw fail("a linear leaf uses a feature out of range")
            }
            let base = forest.linear!.features.count
            var offset = 0
            for j in 0..<leaves {
                constants[splits + j] = leafConst[j]
                starts[splits + j] = Int32(base + offset)
                counts[splits + j] = Int32(perLeaf[j])
                offset += perLeaf[j]
            }
            forest.linear!.features += features
            forest.linear!.coefficients += coefficients
        } else {
            let leafValues = try numbers("leaf_value", count: leaves) { Double($0) }
            for j in 0..<leaves { constants[splits + j] = leafValues[j] }
        }
        forest.linear!.constant += order.map { constants[$0] }
        forest.linear!.start += order.map { starts[$0] }
        forest.linear!.count += order.map { counts[$0] }
    }
}
