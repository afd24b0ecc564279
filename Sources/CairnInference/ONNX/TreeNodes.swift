/// The nodes of a tree ensemble as flat arrays indexed by node position, children as positions,
/// leaf weights as ranges into shared target/weight arrays.
struct TreeNodes: Sendable {
    var features: [Int32] = []
    var thresholds: [Float] = []
    var modes: [UInt8] = []
    var trueChild: [Int32] = []
    var falseChild: [Int32] = []
    var missingTrue: [Bool] = []
    /// Start and end of each node's leaf weights in ``leafTargets``/``leafWeights``.
    var leafStart: [Int32] = []
    var leafEnd: [Int32] = []
    var leafTargets: [Int32] = []
    var leafWeights: [Float] = []
    /// Root position of each tree, in the order trees first appear.
    var roots: [Int32] = []
    /// Largest feature index any branch reads (-1 with no branches).
    var maxFeature = -1

    /// Reads `nodes_*` and `<prefix>_*` (`target_*` or `class_*`) attributes.
    init(_ c: ONNXNodeContext, prefix: String, outputs: Int) throws(InferenceError) {
        let treeIds = c.ints("nodes_treeids")
        let nodeIds = c.ints("nodes_nodeids")
        let featureIds = c.ints("nodes_featureids")
        let values = try c.floatsOrTensor("nodes_values")
        let modeNames = c.strings("nodes_modes")
        let trueIds = c.ints("nodes_truenodeids")
        let falseIds = c.ints("nodes_falsenodeids")
        let missing = c.ints("nodes_missing_value_tracks_true")
        let n = treeIds.count
        guard n > 0 else { throw c.unsupported("no tree nodes") }
        for (name, count) in [
            ("nodes_nodeids", nodeIds.count), ("nodes_featureids", featureIds.count), ("nodes_values", values.count),
            ("nodes_modes", modeNames.count), ("nodes_truenodeids", trueIds.count),
            ("nodes_falsenodeids", falseIds.count),
        ] where count != n {
            throw c.unsupported("\(name) has \(count) entries for \(n) nodes")
        }
        guard missing.isEmpty || missing.count == n else {
            throw c.unsupported("nodes_missing_value_tracks_true length")
        }
        var position: [TreeKey: Int32] = [:]
        position.reserveCapacity(n)
        var seenTrees = Set<Int64>()
        for i in 0..<n {
            let key = TreeKey(tree: treeIds[i], node: nodeIds[i])
            guard position[key] == nil else { throw c.unsupported("node \(nodeIds[i]) of tree \(treeIds[i]) repeats") }
            position[key] = Int32(i)
        }
        for i in 0..<n {
            let mode: TreeEnsembleKernel.Mode
            switch modeNames[i] {
            case "LEAF": mode = .leaf
            case "BRANCH_LEQ": mode = .leq
            case "BRANCH_LT": mode = .lt
            case "BRANCH_GTE": mode = .gte
            case "BRANCH_GT": mode = .gt
            case "BRANCH_EQ": mode = .eq
            case "BRANCH_NEQ": mode = .neq
            case let other: throw c.unsupported("node mode \(other)")
            }
            modes.append(mode.rawValue)
            thresholds.append(values[i])
            missingTrue.append(missing.isEmpty ? false : missing[i] != 0)
            if mode == .leaf {
                features.append(0)
                trueChild.append(-1)
                falseChild.append(-1)
            } else {
                guard featureIds[i] >= 0, featureIds[i] < 1 << 28 else {
                    throw c.unsupported("feature \(featureIds[i])")
                }
                features.append(Int32(featureIds[i]))
                maxFeature = max(maxFeature, Int(featureIds[i]))
                guard let t = position[TreeKey(tree: treeIds[i], node: trueIds[i])],
                    let f = position[TreeKey(tree: treeIds[i], node: falseIds[i])]
                else { throw c.unsupported("node \(nodeIds[i]) of tree \(treeIds[i]) points to a missing child") }
                trueChild.append(t)
                falseChild.append(f)
            }
            if seenTrees.insert(treeIds[i]).inserted { roots.append(Int32(i)) }
        }
        // A tree's root is the node no other node of the tree points to; usually its first node.
        var isChild = [Bool](repeating: false, count: n)
        for i in 0..<n where modes[i] != 0 {
            isChild[Int(trueChild[i])] = true
            isChild[Int(falseChild[i])] = true
        }
        var rootOfTree: [Int64: Int32] = [:]
        for i in 0..<n where !isChild[i] && rootOfTree[treeIds[i]] == nil { rootOfTree[treeIds[i]] = Int32(i) }
        roots = try roots.map { (first: Int32) throws(InferenceError) -> Int32 in
            guard let r = rootOfTree[treeIds[Int(first)]] else {
                throw c.unsupported("tree \(treeIds[Int(first)]) has no root")
            }
            return r
        }
        try checkAcyclic(c)
        try readLeaves(c, prefix: prefix, outputs: outputs, position: position)
    }

    private mutating func readLeaves(
        _ c: ONNXNodeContext, prefix: String, outputs: Int, position: [TreeKey: Int32]
    ) throws(InferenceError) {
        let trees = c.ints("\(prefix)_treeids")
        let nodeIds = c.ints("\(prefix)_nodeids")
        let ids = c.ints("\(prefix)_ids")
        let weights = try c.floatsOrTensor("\(prefix)_weights")
        guard nodeIds.count == trees.count, ids.count == trees.count, weights.count == trees.count else {
            throw c.unsupported("\(prefix)_* attributes have different lengths")
        }
        var perNode = [[(Int32, Float)]](repeating: [], count: modes.count)
        for i in trees.indices {
            guard let p = position[TreeKey(tree: trees[i], node: nodeIds[i])] else {
                throw c.unsupported("weight for missing node \(nodeIds[i]) of tree \(trees[i])")
            }
            guard ids[i] >= 0, ids[i] < outputs else { throw c.unsupported("\(prefix) id \(ids[i]) out of range") }
            perNode[Int(p)].append((Int32(ids[i]), weights[i]))
        }
        for list in perNode {
            leafStart.append(Int32(leafTargets.count))
            for (t, w) in list {
                leafTargets.append(t)
                leafWeights.append(w)
            }
            leafEnd.append(Int32(leafTargets.count))
        }
    }

    /// Refuses trees whose child links loop (a walk would never reach a leaf).
    private func checkAcyclic(_ c: ONNXNodeContext) throws(InferenceError) {
        var depth = [Int32](repeating: -1, count: modes.count)
        for root in roots {
            var stack: [(Int32, Int32)] = [(root, 0)]
            while let (node, d) = stack.popLast() {
                guard d <= Int32(modes.count) else { throw c.unsupported("tree links form a cycle") }
                if depth[Int(node)] >= d { continue }
                depth[Int(node)] = d
                if modes[Int(node)] != 0 {
                    stack.append((trueChild[Int(node)], d + 1))
                    stack.append((falseChild[Int(node)], d + 1))
                }
            }
        }
    }

    /// One node packed in 16 bytes so a visit touches one cache line: the threshold, the feature
    /// index with the mode in bits 28–30 and "missing goes true" in bit 31, and the two children
    /// (for a leaf: the start and end of its weights).
    struct Packed: Sendable {
        var threshold: Float
        var featureAndMode: UInt32
        var yes: Int32
        var no: Int32
    }

    /// The nodes in packed form, built once at load.
    func packed() -> [Packed] {
        modes.indices.map { i in
            let bits = UInt32(features[i]) | UInt32(modes[i]) << 28 | (missingTrue[i] ? 1 << 31 : 0)
            return modes[i] == 0
                ? Packed(threshold: thresholds[i], featureAndMode: bits, yes: leafStart[i], no: leafEnd[i])
                : Packed(threshold: thresholds[i], featureAndMode: bits, yes: trueChild[i], no: falseChild[i])
        }
    }

    /// Walks every tree for each row in `rows` and combines the leaf weights into `scores`
    /// (`rows.count × width`, row-major). Walks are interleaved four at a time so their memory loads
    /// overlap: four rows through one tree (tree by tree, so a tree's nodes stay in cache across the
    /// block), or for fewer rows four trees for one row. Each row still adds its trees' weights in
    /// tree order.
    static func accumulate(
        _ nodes: UnsafeBufferPointer<Packed>, roots: UnsafeBufferPointer<Int32>, targets: UnsafeBufferPointer<Int32>,
        weights: UnsafeBufferPointer<Float>, x: UnsafeBufferPointer<Float>, rows: Range<Int>, stride: Int,
        aggregate: TreeEnsembleKernel.Aggregate, scores: UnsafeMutablePointer<Float>, has: UnsafeMutablePointer<Bool>,
        width: Int
    ) {
        let base = x.baseAddress!
        func add(_ leaf: Packed, _ row: Int) {
            let offset = (row - rows.lowerBound) * width
            for k in Int(leaf.yes)..<Int(leaf.no) {
                let t = offset + Int(targets[k])
                let w = weights[k]
                switch aggregate {
                case .sum, .average: scores[t] += w
                case .min: scores[t] = !has[t] || w < scores[t] ? w : scores[t]
                case .max: scores[t] = !has[t] || w > scores[t] ? w : scores[t]
                }
                has[t] = true
            }
        }
        if rows.count >= 4 {
            for root in roots {
                var r = rows.lowerBound
                while r + 4 <= rows.upperBound {
                    let (l0, l1, l2, l3) = walk4(
                        nodes, (root, root, root, root),
                        (base + r * stride, base + (r + 1) * stride, base + (r + 2) * stride, base + (r + 3) * stride))
                    add(l0, r)
                    add(l1, r + 1)
                    add(l2, r + 2)
                    add(l3, r + 3)
                    r += 4
                }
                while r < rows.upperBound {
                    add(walk(nodes, root, base + r * stride), r)
                    r += 1
                }
            }
            return
        }
        for r in rows {
            let row = base + r * stride
            var t = 0
            while t + 4 <= roots.count {
                let (l0, l1, l2, l3) = walk4(
                    nodes, (roots[t], roots[t + 1], roots[t + 2], roots[t + 3]), (row, row, row, row))
                add(l0, r)
                add(l1, r)
                add(l2, r)
                add(l3, r)
                t += 4
            }
            while t < roots.count {
                add(walk(nodes, roots[t], row), r)
                t += 1
            }
        }
    }

    /// The child a branch node sends `row` to.
    @inline(__always)
    static func child(_ node: Packed, _ row: UnsafePointer<Float>) -> Int {
        let v = row[Int(node.featureAndMode & 0x0FFF_FFFF)]
        let t = node.threshold
        var go: Bool
        switch (node.featureAndMode >> 28) & 7 {
        case 1: go = v <= t
        case 2: go = v < t
        case 3: go = v >= t
        case 4: go = v > t
        case 5: go = v == t
        default: go = v != t
        }
        if node.featureAndMode >> 31 != 0 && v.isNaN { go = true }
        return Int(go ? node.yes : node.no)
    }

    @inline(__always)
    static func isLeaf(_ node: Packed) -> Bool { (node.featureAndMode >> 28) & 7 == 0 }

    /// The leaf `row` reaches from `root`.
    @inline(__always)
    static func walk(_ nodes: UnsafeBufferPointer<Packed>, _ root: Int32, _ row: UnsafePointer<Float>) -> Packed {
        var n = nodes[Int(root)]
        while !isLeaf(n) { n = nodes[child(n, row)] }
        return n
    }

    /// Four walks advanced together.
    @inline(__always)
    static func walk4(
        _ nodes: UnsafeBufferPointer<Packed>, _ roots: (Int32, Int32, Int32, Int32),
        _ rows: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>)
    ) -> (Packed, Packed, Packed, Packed) {
        var (n0, n1, n2, n3) = (nodes[Int(roots.0)], nodes[Int(roots.1)], nodes[Int(roots.2)], nodes[Int(roots.3)])
        while true {
            var moving = false
            if !isLeaf(n0) {
                n0 = nodes[child(n0, rows.0)]
                moving = true
            }
            if !isLeaf(n1) {
                n1 = nodes[child(n1, rows.1)]
                moving = true
            }
            if !isLeaf(n2) {
                n2 = nodes[child(n2, rows.2)]
                moving = true
            }
            if !isLeaf(n3) {
                n3 = nodes[child(n3, rows.3)]
                moving = true
            }
            if !moving { return (n0, n1, n2, n3) }
        }
    }
}

/// A node's identity: tree id and node id.
struct TreeKey: Hashable {
    let tree: Int64
    let node: Int64
}
