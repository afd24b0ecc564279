/// Reads one tree of an XGBoost model file into a ``FlatForest``.
enum XGBoostTreeReader {
    /// Appends tree `index` (a `RegTree` object of the model file) adding to output `group`.
    static func append(
        _ tree: ModelDocument, index: Int, group: Int, to forest: inout FlatForest
    ) throws(InferenceError) {
        func array<T>(_ key: String, _ get: (ModelDocument) -> [T]?) throws(InferenceError) -> [T] {
            guard let value = tree[key], let items = get(value) else {
                throw .unsupported("XGBoost tree \(index) has no valid '\(key)'")
            }
            return items
        }
        if let leafSize = tree["tree_param"]?["size_leaf_vector"]?.intValue, leafSize > 1 {
            throw .unsupported("XGBoost tree \(index) has vector leaves (multi-target), not read natively")
        }
        let left = try array("left_children", \.intArray)
        let right = try array("right_children", \.intArray)
        let splitIndex = try array("split_indices", \.intArray)
        let conditions = try array("split_conditions", \.floatArray)
        let defaultLeft = try array("default_left", \.intArray)
        let n = left.count
        guard n > 0, right.count == n, splitIndex.count == n, conditions.count == n, defaultLeft.count == n else {
            throw .unsupported("XGBoost tree \(index) has node arrays of different lengths")
        }
        let splitType = tree["split_type"]?.intArray ?? [Int64](repeating: 0, count: n)
        guard splitType.count == n else { throw .unsupported("XGBoost tree \(index) has a short split_type") }
        let categorySets = try categories(of: tree, index: index, nodes: n)

        var feature = [Int32](repeating: -1, count: n)
        var threshold = [Double](repeating: 0, count: n)
        var l = [Int32](repeating: 0, count: n)
        var r = [Int32](repeating: 0, count: n)
        var flags = [UInt8](repeating: 0, count: n)
        for i in 0..<n {
            threshold[i] = Double(conditions[i])
            guard left[i] != -1 else { continue }
            guard splitIndex[i] >= 0, splitIndex[i] < Int64(Int32.max), left[i] >= 0, left[i] < n,
                right[i] >= 0, right[i] < n
            else { throw .unsupported("XGBoost tree \(index) has an invalid node \(i)") }
            feature[i] = Int32(splitIndex[i])
            l[i] = Int32(left[i])
            r[i] = Int32(right[i])
            flags[i] = defaultLeft[i] != 0 ? FlatForest.NodeFlags.defaultLeft : 0
            if splitType[i] == 1 {
                guard let set = categorySets[i] else {
                    throw .unsupported("XGBoost tree \(index) node \(i) is categorical but lists no categories")
                }
                flags[i] |= FlatForest.NodeFlags.categorical
                threshold[i] = Double(try forest.addCategorySet(set))
            }
        }
        _ = try forest.appendTree(feature: feature, threshold: threshold, left: l, right: r, flags: flags, group: group)
    }

    /// Category sets by node, from `categories_nodes`, `categories_segments`, `categories_sizes`
    /// and `categories`.
    private static func categories(
        of tree: ModelDocument, index: Int, nodes: Int
    ) throws(InferenceError) -> [Int: [Int64]] {
        let nodeIDs = tree["categories_nodes"]?.intArray ?? []
        guard !nodeIDs.isEmpty else { return [:] }
        guard let segments = tree["categories_segments"]?.intArray,
            let sizes = tree["categories_sizes"]?.intArray,
            let values = tree["categories"]?.intArray,
            segments.count == nodeIDs.count, sizes.count == nodeIDs.count
        else { throw .unsupported("XGBoost tree \(index) has inconsistent category arrays") }
        var out: [Int: [Int64]] = [:]
        for (k, node) in nodeIDs.enumerated() {
            let start = segments[k]
            let size = sizes[k]
            guard node >= 0, node < nodes, start >= 0, size >= 0, start <= Int64(values.count) - size else {
                throw .unsupported("XGBoost tree \(index) has a category segment out of range")
            }
            out[Int(node)] = Array(values[Int(start)..<Int(start + size)])
        }
        return out
    }
}
