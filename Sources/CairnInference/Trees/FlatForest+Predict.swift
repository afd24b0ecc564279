import Dispatch

/// A value the forest accumulates leaves in: `Float` for XGBoost (its float32 sums), `Double` for
/// LightGBM.
protocol LeafAccumulator: BinaryFloatingPoint, Sendable {
    /// The leaf value in this type.
    init(leaf: Double)
}

extension Float: LeafAccumulator {
    @inline(__always) init(leaf: Double) { self = Float(leaf) }
}

extension Double: LeafAccumulator {
    @inline(__always) init(leaf: Double) { self = leaf }
}

/// A pointer that blocks of a batch write through at disjoint offsets.
private struct DisjointWrites<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}

extension FlatForest {
    /// Rows evaluated together against one tree at a time, so the tree stays in cache.
    static let blockRows = 64

    /// Sums the trees' leaves for each row of `rows` (row-major, ``featureCount`` values per row),
    /// starting from `base[group]`; returns `rowCount × groupCount` margins in the trees' order.
    /// Blocks of rows run in parallel; each row's sum runs tree by tree, as the libraries do.
    func margins<Acc: LeafAccumulator>(rows: [Double], rowCount: Int, base: [Acc]) -> [Acc] {
        var out = [Acc](repeating: 0, count: rowCount * groupCount)
        let blocks = (rowCount + Self.blockRows - 1) / Self.blockRows
        rows.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                guard let inBase = input.baseAddress, let outBase = output.baseAddress else { return }
                let target = DisjointWrites(base: outBase)
                let source = UnsafePointer(inBase)
                if blocks <= 2 {
                    for b in 0..<blocks {
                        evaluate(block: b, rowCount: rowCount, rows: source, out: target.base, base: base)
                    }
                } else {
                    nonisolated(unsafe) let rowsPointer = source
                    DispatchQueue.concurrentPerform(iterations: blocks) { b in
                        evaluate(block: b, rowCount: rowCount, rows: rowsPointer, out: target.base, base: base)
                    }
                }
            }
        }
        return out
    }

    @inline(__always)
    private func evaluate<Acc: LeafAccumulator>(
        block: Int, rowCount: Int, rows: UnsafePointer<Double>, out: UnsafeMutablePointer<Acc>, base: [Acc]
    ) {
        let first = block * Self.blockRows
        let last = min(first + Self.blockRows, rowCount)
        let groups = groupCount
        let width = featureCount
        for r in first..<last {
            for g in 0..<groups { out[r * groups + g] = base[g] }
        }
        let linear = self.linear != nil
        feature.withUnsafeBufferPointer { feature in
            threshold.withUnsafeBufferPointer { threshold in
                left.withUnsafeBufferPointer { left in
                    flags.withUnsafeBufferPointer { flags in
                        roots.withUnsafeBufferPointer { roots in
                            let nodes = Nodes(
                                feature: feature.baseAddress!, threshold: threshold.baseAddress!,
                                left: left.baseAddress!, flags: flags.baseAddress!)
                            // Rows in fours walk each tree together; the rest walk four trees at a
                            // time. Either way each row adds its trees' leaves in the trees' order.
                            let grouped = linear ? first : first + (last - first) / 4 * 4
                            for t in 0..<roots.count {
                                let root = Int(roots[t])
                                let g = Int(treeGroup[t])
                                for r in stride(from: first, to: grouped, by: 4) {
                                    let row = rows + r * width
                                    let leaves = self.leaves(
                                        from: (root, root, root, root),
                                        rows: (row, row + width, row + 2 * width, row + 3 * width),
                                        nodes: nodes)
                                    out[r * groups + g] += Acc(leaf: nodes.threshold[leaves.0])
                                    out[(r + 1) * groups + g] += Acc(leaf: nodes.threshold[leaves.1])
                                    out[(r + 2) * groups + g] += Acc(leaf: nodes.threshold[leaves.2])
                                    out[(r + 3) * groups + g] += Acc(leaf: nodes.threshold[leaves.3])
                                }
                            }
                            for r in grouped..<last {
                                let row = rows + r * width
                                let sums = out + r * groups
                                var t = 0
                                while !linear && t + 4 <= roots.count {
                                    let leaves = self.leaves(
                                        from: (Int(roots[t]), Int(roots[t + 1]), Int(roots[t + 2]), Int(roots[t + 3])),
                                        rows: (row, row, row, row), nodes: nodes)
                                    sums[Int(treeGroup[t])] += Acc(leaf: nodes.threshold[leaves.0])
                                    sums[Int(treeGroup[t + 1])] += Acc(leaf: nodes.threshold[leaves.1])
                                    sums[Int(treeGroup[t + 2])] += Acc(leaf: nodes.threshold[leaves.2])
                                    sums[Int(treeGroup[t + 3])] += Acc(leaf: nodes.threshold[leaves.3])
                                    t += 4
                                }
                                while t < roots.count {
                                    let leaf = self.leaf(from: Int(roots[t]), row: row, nodes: nodes)
                                    let value = linear ? linearValue(leaf, row: row) : nodes.threshold[leaf]
                                    sums[Int(treeGroup[t])] += Acc(leaf: value)
                                    t += 1
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Raw pointers to the node arrays for the inner loop.
    struct Nodes {
        let feature: UnsafePointer<Int32>
        let threshold: UnsafePointer<Double>
        let left: UnsafePointer<Int32>
        let flags: UnsafePointer<UInt8>
    }

    /// One step from split node `n` for one row: the child the row goes to.
    @inline(__always)
    func step(_ n: Int, row: UnsafePointer<Double>, nodes: Nodes) -> Int {
        let x = row[Int(nodes.feature[n])]
        let bits = nodes.flags[n]
        let goLeft: Bool
        if bits & (NodeFlags.categorical | NodeFlags.zeroIsMissing) == 0 && !x.isNaN {
            goLeft = x < nodes.threshold[n]
        } else {
            goLeft = decide(x: x, bits: bits, threshold: nodes.threshold[n])
        }
        return Int(nodes.left[n]) + (goLeft ? 0 : 1)
    }

    /// Four walks at once (four rows through one tree, or one row through four trees): four
    /// independent chains of loads the processor overlaps. Returns the four leaves.
    @inline(__always)
    func leaves(
        from start: (Int, Int, Int, Int),
        rows: (UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>),
        nodes: Nodes
    ) -> (Int, Int, Int, Int) {
        var (a, b, c, d) = start
        while true {
            let doneA = nodes.feature[a] < 0
            let doneB = nodes.feature[b] < 0
            let doneC = nodes.feature[c] < 0
            let doneD = nodes.feature[d] < 0
            if doneA && doneB && doneC && doneD { return (a, b, c, d) }
            if !doneA { a = step(a, row: rows.0, nodes: nodes) }
            if !doneB { b = step(b, row: rows.1, nodes: nodes) }
            if !doneC { c = step(c, row: rows.2, nodes: nodes) }
            if !doneD { d = step(d, row: rows.3, nodes: nodes) }
        }
    }

    /// Walks one tree from `root` for one row; returns the leaf's node index.
    @inline(__always)
    func leaf(from root: Int, row: UnsafePointer<Double>, nodes: Nodes) -> Int {
        var n = root
        while true {
            let f = Int(nodes.feature[n])
            if f < 0 { return n }
            let x = row[f]
            let bits = nodes.flags[n]
            let goLeft: Bool
            if bits & (NodeFlags.categorical | NodeFlags.zeroIsMissing) == 0 && !x.isNaN {
                goLeft = x < nodes.threshold[n]
            } else {
                goLeft = decide(x: x, bits: bits, threshold: nodes.threshold[n])
            }
            n = Int(nodes.left[n]) + (goLeft ? 0 : 1)
        }
    }

    /// The full decision of a split node: missing values, zeros as missing, categories.
    @inline(never)
    func decide(x value: Double, bits: UInt8, threshold: Double) -> Bool {
        var x = value
        if x.isNaN {
            if bits & NodeFlags.nanAsZero == 0 { return bits & NodeFlags.defaultLeft != 0 }
            x = 0
        }
        if bits & NodeFlags.zeroIsMissing != 0, x >= -Self.zeroThreshold, x <= Self.zeroThreshold {
            return bits & NodeFlags.defaultLeft != 0
        }
        if bits & NodeFlags.categorical == 0 { return x < threshold }
        let matchLeft = bits & NodeFlags.matchGoesLeft != 0
        let invalid = negativeCategoryIsInvalid ? x < 0 : x <= -1
        guard !invalid, x < 2_147_483_648 else { return !matchLeft }
        let category = Int(x.rounded(.towardZero))
        let set = categorySets[Int(threshold)]
        let word = category / 32
        let inSet = word < Int(set.count) && (categoryWords[Int(set.start) + word] >> UInt32(category % 32)) & 1 == 1
        return inSet == matchLeft
    }

    /// The value of linear leaf `n` for this row: its linear model, or its constant value when one of
    /// the model's features is missing.
    @inline(never)
    func linearValue(_ n: Int, row: UnsafePointer<Double>) -> Double {
        guard let linear else { return threshold[n] }
        let start = Int(linear.start[n])
        let count = Int(linear.count[n])
        var sum = linear.constant[n]
        for i in start..<start + count {
            let x = row[Int(linear.features[i])]
            if x.isNaN { return threshold[n] }
            sum += linear.coefficients[i] * x
        }
        return sum
    }
}
