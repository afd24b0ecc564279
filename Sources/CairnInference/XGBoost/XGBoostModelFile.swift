/// The parts of an XGBoost model file (JSON or UBJSON, schema of XGBoost 1.0 to 3.x) that
/// prediction needs, checked and turned into a ``FlatForest``.
struct XGBoostModelFile {
    let objective: XGBoostObjective
    let forest: FlatForest
    let baseMargin: [Float]
    let featureNames: [String]?
    let format: String

    /// Reads the file; with `honourBestIteration` keeps only the trees up to the recorded
    /// `best_iteration` (what the scikit-learn wrappers predict with).
    init(bytes: [UInt8], honourBestIteration: Bool) throws(InferenceError) {
        guard let first = bytes.first(where: { !JSONDocumentParser.isSpace($0) }), first == UInt8(ascii: "{") else {
            throw .unsupported(
                "the XGBoost model file is neither JSON nor UBJSON (the legacy binary format is not read "
                    + "natively; re-save the model with XGBoost ≥ 1.0 as .json or .ubj)")
        }
        let document = try ModelDocument.parse(bytes)
        let start = bytes.firstIndex(of: first)!
        format = start + 1 < bytes.count && UBJSONDocumentParser.markers.contains(bytes[start + 1]) ? "ubjson" : "json"
        guard let learner = document["learner"] else { throw .unsupported("the XGBoost model has no 'learner'") }
        guard let objectiveName = learner["objective"]?["name"]?.stringValue else {
            throw .unsupported("the XGBoost model names no objective")
        }
        guard let objective = XGBoostObjective(rawValue: objectiveName) else {
            let known = XGBoostObjective.allCases.map(\.rawValue).joined(separator: ", ")
            throw .unsupported("XGBoost objective '\(objectiveName)' has no native runtime (native: \(known))")
        }
        self.objective = objective
        let params = learner["learner_model_param"]
        guard let featureCount = params?["num_feature"]?.intValue, featureCount > 0, featureCount < 1 << 24 else {
            throw .unsupported("the XGBoost model has no valid num_feature")
        }
        let numClass = params?["num_class"]?.intValue ?? 0
        if let targets = params?["num_target"]?.intValue, targets > 1 {
            throw .unsupported("multi-target XGBoost models (num_target \(targets)) have no native runtime")
        }
        let groups = max(1, Int(numClass))
        guard groups < 1 << 16 else { throw .unsupported("the XGBoost model has \(numClass) classes") }
        let names = learner["feature_names"]?.stringArray ?? []
        featureNames = names.isEmpty ? nil : names
        if let names = featureNames, names.count != featureCount {
            throw .unsupported("the XGBoost model has \(names.count) feature names for \(featureCount) features")
        }
        baseMargin = try Self.baseScores(params?["base_score"], groups: groups).map(objective.margin(fromBaseScore:))

        guard let booster = learner["gradient_booster"], let boosterName = booster["name"]?.stringValue else {
            throw .unsupported("the XGBoost model has no gradient_booster")
        }
        guard boosterName == "gbtree" else {
            throw .unsupported("XGBoost booster '\(boosterName)' has no native runtime (native: gbtree)")
        }
        guard let model = booster["model"], case .array(let trees)? = model["trees"] else {
            throw .unsupported("the XGBoost model has no trees")
        }
        guard let treeInfo = model["tree_info"]?.intArray, treeInfo.count == trees.count else {
            throw .unsupported("the XGBoost model's tree_info does not match its trees")
        }
        var keep = trees.count
        if honourBestIteration, let best = learner["attributes"]?["best_iteration"]?.intValue {
            let perIteration = try Self.treesPerIteration(model, groups: groups)
            if let indptr = model["iteration_indptr"]?.intArray, !indptr.isEmpty {
                guard best >= 0, Int(best) + 1 < indptr.count else {
                    throw .unsupported("the XGBoost model's best_iteration \(best) is out of range")
                }
                keep = Int(indptr[Int(best) + 1])
            } else {
                keep = min(trees.count, (Int(best) + 1) * perIteration)
            }
            guard keep <= trees.count, keep >= 0 else {
                throw .unsupported("the XGBoost model's iteration_indptr is out of range")
            }
        }
        var forest = FlatForest()
        forest.groupCount = groups
        forest.featureCount = Int(featureCount)
        forest.negativeCategoryIsInvalid = true
        for i in 0..<keep {
            try XGBoostTreeReader.append(trees[i], index: i, group: Int(treeInfo[i]), to: &forest)
        }
        self.forest = forest
    }

    private static func treesPerIteration(_ model: ModelDocument, groups: Int) throws(InferenceError) -> Int {
        let parallel = model["gbtree_model_param"]?["num_parallel_tree"]?.intValue ?? 1
        guard parallel >= 1, parallel < 1 << 16 else { throw .unsupported("invalid num_parallel_tree \(parallel)") }
        return Int(parallel) * groups
    }

    /// `base_score` as stored: a number, or a list string such as `"[5E-1]"` (one value, or one per class).
    static func baseScores(_ value: ModelDocument?, groups: Int) throws(InferenceError) -> [Float] {
        guard let value else { return [Float](repeating: 0.5, count: groups) }
        var scores: [Float]
        if case .string(let text) = value, text.hasPrefix("[") {
            let inner = text.dropFirst().dropLast(text.hasSuffix("]") ? 1 : 0)
            scores = []
            for part in inner.split(separator: ",") {
                guard let v = Float(part.trimmingSpaces) else {
                    throw .unsupported("the XGBoost base_score '\(text)' is not a list of numbers")
                }
                scores.append(v)
            }
        } else if let v = value.floatValue {
            scores = [v]
        } else {
            throw .unsupported("the XGBoost base_score is not a number")
        }
        if scores.count == 1 { scores = [Float](repeating: scores[0], count: groups) }
        guard scores.count == groups else {
            throw .unsupported("the XGBoost base_score has \(scores.count) values for \(groups) outputs")
        }
        return scores
    }
}

extension Substring {
    /// The text without leading and trailing spaces.
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
