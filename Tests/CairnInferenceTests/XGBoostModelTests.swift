import Testing

@testable import CairnInference

private func load(_ document: TestDocument, ubjson: Bool, modelClass: String = "xgboost.core.Booster") throws
    -> XGBoostModel
{
    try XGBoostModel(bytes: ubjson ? document.ubjson : Array(document.json.utf8), modelClass: modelClass)
}

private func floats(_ output: ModelOutput) -> (shape: [Int], values: [Float])? {
    guard case .array(let t) = output, case .float(let v) = t.values else { return nil }
    return (t.shape, v)
}

@Test(arguments: [false, true])
func xgboostBinaryLogisticMatchesTheLibrary(ubjson: Bool) throws {
    let doc = XGBoostFixtures.model(
        objective: "binary:logistic", trees: [XGBoostFixtures.first, XGBoostFixtures.second], treeInfo: [0, 0],
        baseScore: "[5E-1]")
    let model = try load(doc, ubjson: ubjson)
    let out = try #require(floats(try model.predict(try XGBoostFixtures.table())))
    #expect(out.shape == [6])
    // XGBoost 3.2.0 on the same document.
    #expect(
        out.values == [
            0.47502079606056213, 0.4750208556652069, 0.2497398853302002, 0.7109494805335999, 0.47502079606056213,
            0.7109494805335999,
        ])
    #expect(model.details.contains { $0 == ("format", ubjson ? "ubjson" : "json") })
}

@Test func xgboostRegressionAddsTheBaseScoreAsStoredInFloat32() throws {
    let doc = XGBoostFixtures.model(
        objective: "reg:squarederror", trees: [XGBoostFixtures.first, XGBoostFixtures.second], treeInfo: [0, 0],
        baseScore: "1.5")
    let out = try #require(floats(try load(doc, ubjson: true).predict(try XGBoostFixtures.table())))
    #expect(
        out.values == [
            1.4000000953674316, 1.3999998569488525, 0.40000003576278687, 2.3999998569488525, 1.4000000953674316,
            2.3999998569488525,
        ])
}

@Test func xgboostSoftprobIsRowsByClassesWithPerClassBaseScores() throws {
    let doc = XGBoostFixtures.model(
        objective: "multi:softprob",
        trees: [XGBoostFixtures.first, XGBoostFixtures.leaf(0.2), XGBoostFixtures.leaf(-0.1)],
        treeInfo: [0, 1, 2], baseScore: "[1E-1,2E-1,3E-1]", numClass: 3)
    let out = try #require(floats(try load(doc, ubjson: false).predict(try XGBoostFixtures.table())))
    #expect(out.shape == [6, 3])
    #expect(
        Array(out.values[0..<6]) == [
            0.21447840332984924, 0.43190649151802063, 0.3536151349544525, 0.4260125160217285, 0.3155978322029114,
            0.2583896517753601,
        ])
    let softmax = XGBoostFixtures.model(
        objective: "multi:softmax",
        trees: [XGBoostFixtures.first, XGBoostFixtures.leaf(0.2), XGBoostFixtures.leaf(-0.1)],
        treeInfo: [0, 1, 2], baseScore: "[1E-1,2E-1,3E-1]", numClass: 3)
    let classes = try #require(floats(try load(softmax, ubjson: false).predict(try XGBoostFixtures.table())))
    #expect(classes.shape == [6] && classes.values == [1, 0, 1, 0, 1, 0])
}

@Test func xgboostCategoricalSplitSendsListedCategoriesRight() throws {
    let tree = XGBoostFixtures.tree(
        [1, -1, -1], [2, -1, -1], [0, 0, 0], [0, -1, 1], [1, 0, 0], splitType: [1, 0, 0],
        categories: (nodes: [0], values: [1, 3]))
    let doc = XGBoostFixtures.model(objective: "reg:squarederror", trees: [tree], treeInfo: [0], baseScore: "0")
    let xs: [Double] = [0, 1, 2, 3, 40, .nan, -1, 1.7]
    let out = try #require(floats(try load(doc, ubjson: true).predict(try XGBoostFixtures.table(xs.map { ($0, 0) }))))
    #expect(out.values == [-1, 1, -1, 1, -1, -1, -1, 1])
}

@Test func xgboostClassifierReturnsLabelsAndStopsAtTheBestIteration() throws {
    // Iteration 1 would flip every row to class 1; best_iteration 0 keeps it out.
    let doc = XGBoostFixtures.model(
        objective: "binary:logistic", trees: [XGBoostFixtures.first, XGBoostFixtures.leaf(5)], treeInfo: [0, 0],
        baseScore: "[5E-1]", bestIteration: "0")
    let table = try XGBoostFixtures.table()
    let labels = try load(doc, ubjson: true, modelClass: "xgboost.sklearn.XGBClassifier").predict(table)
    #expect(labels == .array(Tensor(shape: [6], values: .int64([0, 1, 0, 1, 0, 1]))))
    // The Booster itself uses every tree.
    let probabilities = try #require(floats(try load(doc, ubjson: true).predict(table)))
    #expect(probabilities.values.allSatisfy { $0 > 0.98 })
}

@Test func xgboostReadsColumnsByNameAndPositionallyWithoutNames() throws {
    let doc = XGBoostFixtures.model(
        objective: "reg:squarederror", trees: [XGBoostFixtures.second], treeInfo: [0], baseScore: "0")
    let model = try load(doc, ubjson: false)
    let swapped = try Table(columns: [("y", .double([-2])), ("x", .double([3]))])
    #expect(try model.predict(swapped) == .array(Tensor(shape: [1], values: .float([0.05]))))
    let unnamed = try Table(columns: [("a", .double([3])), ("b", .double([-2]))])
    #expect(try model.predict(unnamed) == .array(Tensor(shape: [1], values: .float([0.05]))))
    #expect(throws: InferenceError.badInput("the model expects 2 input columns: x, y; got 1")) {
        try model.predict(try Table(columns: [("x", .double([1]))]))
    }
    #expect(throws: InferenceError.badInput("column 'y' holds strings; the model takes numbers")) {
        try model.predict(try Table(columns: [("x", .double([1])), ("y", .string(["a"]))]))
    }
}

@Test func xgboostBatchesInParallelEqualRowByRow() throws {
    let doc = XGBoostFixtures.model(
        objective: "binary:logistic", trees: [XGBoostFixtures.first, XGBoostFixtures.second], treeInfo: [0, 0],
        baseScore: "[3E-1]")
    let model = try load(doc, ubjson: true)
    var rows: [(Double, Double)] = []
    for i in 0..<5_000 {
        let x = Double(i % 7) - 3
        let y: Double = i % 5 == 0 ? .nan : Double(i % 11) / 4 - 2
        rows.append((x, y))
    }
    let batch = try #require(floats(try model.predict(try XGBoostFixtures.table(rows))))
    for (i, row) in rows.enumerated() where i % 97 == 0 {
        let one = try #require(floats(try model.predict(try XGBoostFixtures.table([row]))))
        #expect(one.values[0] == batch.values[i])
    }
}
