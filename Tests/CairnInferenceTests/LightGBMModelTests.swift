import Foundation
import Testing

@testable import CairnInference

/// Hand-written LightGBM text models; expected outputs come from LightGBM 4.7.0 on the same text.
enum LightGBMFixtures {
    /// Two trees on `x`, `y`: `x <= 0.5` (NaN left) → (`y` in {1, 3} → -0.4 else 0.25) else 0.6; then
    /// `x <= -1` (missing type None: NaN read as 0) → 0.1 else -0.2. Objective binary.
    static let binary = """
        tree
        version=v4
        num_class=1
        num_tree_per_iteration=1
        label_index=0
        max_feature_idx=1
        objective=binary sigmoid:1
        feature_names=x y

        Tree=0
        num_leaves=3
        num_cat=1
        split_feature=0 1
        threshold=0.5 0
        decision_type=10 1
        left_child=1 -1
        right_child=-2 -3
        leaf_value=-0.4 0.6 0.25
        cat_boundaries=0 1
        cat_threshold=10
        is_linear=0
        shrinkage=1

        Tree=1
        num_leaves=2
        num_cat=0
        split_feature=0
        threshold=-1
        decision_type=0
        left_child=-1
        right_child=-2
        leaf_value=0.1 -0.2
        is_linear=0
        shrinkage=1

        end of trees

        pandas_categorical:null
        """

    static let rows: [(Double, Double)] = [
        (0, 1), (0, 2), (0, .nan), (1, 3), (.nan, 3), (-2, -0.5), (0.5, 3), (0.5000001, 3),
    ]
}

private func doubles(_ output: ModelOutput) -> (shape: [Int], values: [Double])? {
    guard case .array(let t) = output, case .double(let v) = t.values else { return nil }
    return (t.shape, v)
}

@Test func lightgbmBinaryMatchesTheLibrary() throws {
    let model = try LightGBMModel(text: Array(LightGBMFixtures.binary.utf8))
    let out = try #require(doubles(try model.predict(try XGBoostFixtures.table(LightGBMFixtures.rows))))
    #expect(out.shape == [8])
    #expect(
        out.values == [
            0.35434369377420455, 0.5124973964842103, 0.5124973964842103, 0.598687660112452, 0.35434369377420455,
            0.5866175789173301, 0.35434369377420455, 0.598687660112452,
        ])
}

@Test func lightgbmRawScoresAndOtherObjectives() throws {
    let table = try XGBoostFixtures.table(LightGBMFixtures.rows)
    let regression = LightGBMFixtures.binary.replacingOccurrences(
        of: "objective=binary sigmoid:1", with: "objective=regression")
    let raw = try #require(doubles(try LightGBMModel(text: Array(regression.utf8)).predict(table)))
    #expect(
        raw.values == [
            -0.6000000000000001, 0.04999999999999999, 0.04999999999999999, 0.39999999999999997, -0.6000000000000001,
            0.35, -0.6000000000000001, 0.39999999999999997,
        ])
    let poisson = LightGBMFixtures.binary.replacingOccurrences(
        of: "objective=binary sigmoid:1", with: "objective=poisson")
    let counts = try #require(doubles(try LightGBMModel(text: Array(poisson.utf8)).predict(table)))
    #expect(counts.values == raw.values.map { ($0 as Double).exponential })
}

@Test func lightgbmMulticlassIsRowsByClassesSoftmax() throws {
    let multiclass = LightGBMFixtures.binary
        .replacingOccurrences(of: "objective=binary sigmoid:1", with: "objective=multiclass num_class:2")
        .replacingOccurrences(of: "num_class=1", with: "num_class=2")
        .replacingOccurrences(of: "num_tree_per_iteration=1", with: "num_tree_per_iteration=2")
    let out = try #require(
        doubles(try LightGBMModel(text: Array(multiclass.utf8)).predict(try XGBoostFixtures.table([(0, 1)]))))
    #expect(out.shape == [1, 2])
    // Scores -0.4 and -0.2: softmax with the maximum subtracted first.
    let e0 = (-0.4 - -0.2 as Double).exponential
    #expect(out.values == [e0 / (e0 + 1), 1 / (e0 + 1)])
}

@Test func lightgbmUnknownObjectiveAndBadNumbersAreNamed() {
    let ranking = LightGBMFixtures.binary.replacingOccurrences(
        of: "objective=binary sigmoid:1", with: "objective=lambdarank")
    #expect(throws: InferenceError.self) { try LightGBMModel(text: Array(ranking.utf8)) }
    do {
        _ = try LightGBMModel(text: Array(ranking.utf8))
    } catch {
        #expect(error.description.contains("'lambdarank'"))
    }
    let garbled = LightGBMFixtures.binary.replacingOccurrences(of: "leaf_value=0.1 -0.2", with: "leaf_value=0.1 x")
    #expect(throws: InferenceError.unsupported("LightGBM tree 1: 'leaf_value' holds 'x', not a number")) {
        try LightGBMModel(text: Array(garbled.utf8))
    }
}

extension Double {
    /// e^self through the C library, as LightGBM computes it.
    fileprivate var exponential: Double { exp(self) }
}
