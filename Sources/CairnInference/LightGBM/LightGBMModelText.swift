/// The LightGBM text model format (`Booster.save_model`, `model_to_string`): a `key=value` header,
/// then one `Tree=<i>` block per tree, then `end of trees`. Turned into a ``FlatForest`` whose node
/// flags carry LightGBM's decision rules (`x <= threshold`, missing types None/Zero/NaN with
/// `default_left`, categorical bitsets).
struct LightGBMModelText {
    let objective: LightGBMObjective
    let forest: FlatForest
    let featureNames: [String]?
    let averageOutput: Bool

    init(bytes: [UInt8]) throws(InferenceError) {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).makeIterator()
        guard let magic = lines.next(), magic.trimmingCharacters == "tree" else {
            throw .unsupported("the file is not a LightGBM text model (it does not start with 'tree')")
        }
        var header: [String: String] = [:]
        var trees: [[String: Substring]] = []
        var current: [String: Substring]?
        var ended = false
        while let raw = lines.next() {
            let line = raw.trimmingCharacters
            if line == "end of trees" {
                ended = true
                break
            }
            if line.hasPrefix("Tree=") {
                if let current { trees.append(current) }
                current = [:]
                continue
            }
            guard !line.isEmpty else { continue }
            let pair = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(pair[0])
            let value = pair.count > 1 ? pair[1] : ""
            if current != nil {
                current![key] = value
            } else {
                header[key] = String(value)
            }
        }
        if let current { trees.append(current) }
        guard ended else { throw .unsupported("the LightGBM model text is truncated (no 'end of trees')") }
        guard let objectiveLine = header["objective"] else {
            throw .unsupported("the LightGBM model names no objective")
        }
        objective = try LightGBMObjective(line: objectiveLine)
        guard let maxFeature = header["max_feature_idx"].flatMap({ Int($0) }), maxFeature >= 0, maxFeature < 1 << 24
        else { throw .unsupported("the LightGBM model has no valid max_feature_idx") }
        let perIteration = header["num_tree_per_iteration"].flatMap { Int($0) } ?? 1
        let classes = header["num_class"].flatMap { Int($0) } ?? 1
        guard perIteration >= 1, perIteration < 1 << 16, classes == perIteration || classes == 1 else {
            throw .unsupported("the LightGBM model has an invalid num_tree_per_iteration/num_class")
        }
        let names = header["feature_names"].map { $0.split(separator: " ").map(String.init) } ?? []
        featureNames = names.count == maxFeature + 1 ? names : nil
        averageOutput = header.keys.contains("average_output")
        guard !trees.isEmpty else { throw .unsupported("the LightGBM model has no trees") }
        guard trees.count % perIteration == 0 else {
            throw .unsupported("the LightGBM model has \(trees.count) trees, not a multiple of \(perIteration) classes")
        }

        var forest = FlatForest()
        forest.groupCount = perIteration
        forest.featureCount = maxFeature + 1
        forest.negativeCategoryIsInvalid = false
        let anyLinear = trees.contains { $0["is_linear"] == "1" }
        if anyLinear {
            forest.linear = LinearLeaves(constant: [], start: [], count: [], features: [], coefficients: [])
        }
        for (i, tree) in trees.enumerated() {
            try LightGBMTreeReader(fields: tree, index: i).append(to: &forest, group: i % perIteration)
        }
        self.forest = forest
    }
}

extension Substring {
    /// The line without surrounding spaces, tabs or a carriage return.
    var trimmingCharacters: Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" || c == "\r" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" { s = s.dropLast() }
        return s
    }
}
