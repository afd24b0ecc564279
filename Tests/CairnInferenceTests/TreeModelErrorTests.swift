import Foundation
import Testing

@testable import CairnInference

private let good = XGBoostFixtures.model(
    objective: "binary:logistic", trees: [XGBoostFixtures.first, XGBoostFixtures.second], treeInfo: [0, 0],
    baseScore: "[5E-1]")

private func xgboostError(_ bytes: [UInt8], modelClass: String = "xgboost.core.Booster") -> String? {
    do {
        _ = try XGBoostModel(bytes: bytes, modelClass: modelClass)
        return nil
    } catch {
        guard case .unsupported(let message) = error else { return "not unsupported: \(error)" }
        return message
    }
}

@Test func everyTruncationOfAModelFileIsRefusedNotACrash() throws {
    let ubjson = good.ubjson
    for n in 0..<ubjson.count { #expect(xgboostError(Array(ubjson[0..<n])) != nil, "UBJSON cut at \(n)") }
    let json = Array(good.json.utf8)
    for n in stride(from: 0, to: json.count, by: 3) {
        #expect(xgboostError(Array(json[0..<n])) != nil, "JSON cut at \(n)")
    }
    // LightGBM text: everything up to "end of trees" is needed (what follows is not read).
    let text = Array(LightGBMFixtures.binary.utf8)
    let end = try #require(LightGBMFixtures.binary.range(of: "end of trees")).upperBound.utf16Offset(
        in: LightGBMFixtures.binary)
    for n in stride(from: 0, to: end - 1, by: 5) {
        #expect(throws: InferenceError.self) { try LightGBMModel(text: Array(text[0..<n])) }
    }
}

@Test func garbledBytesAreRefusedNotACrash() {
    var generator = SystemRandomNumberGenerator()
    let ubjson = good.ubjson
    for _ in 0..<300 {
        var bytes = ubjson
        for _ in 0..<4 {
            bytes[Int.random(in: 1..<bytes.count, using: &generator)] = .random(in: 0...255, using: &generator)
        }
        _ = xgboostError(bytes)  // any outcome but a crash; out-of-range indices are refused by the loader
    }
}

@Test func formatsAndModelsCairnDoesNotReadAreNamed() throws {
    #expect(xgboostError([0x62, 0x69, 0x6E, 0x66, 0, 0, 0, 0])?.contains("legacy binary format") == true)
    #expect(xgboostError([])?.contains("legacy binary format") == true)
    #expect(xgboostError(good.ubjson, modelClass: "xgboost.sklearn.XGBRanker")?.contains("XGBRanker") == true)
    let ranking = XGBoostFixtures.model(
        objective: "rank:pairwise", trees: [XGBoostFixtures.first], treeInfo: [0], baseScore: "0")
    #expect(xgboostError(ranking.ubjson)?.contains("objective 'rank:pairwise'") == true)
    let wrongFeature = XGBoostFixtures.tree([1, -1, -1], [2, -1, -1], [7, 0, 0], [0.5, 1, 2], [0, 0, 0])
    let doc = XGBoostFixtures.model(objective: "reg:squarederror", trees: [wrongFeature], treeInfo: [0], baseScore: "0")
    #expect(xgboostError(doc.ubjson)?.contains("feature 7") == true)
    let cycle = XGBoostFixtures.tree([1, 0, -1], [2, 2, -1], [0, 0, 0], [0.5, 1, 2], [0, 0, 0])
    let cyclic = XGBoostFixtures.model(objective: "reg:squarederror", trees: [cycle], treeInfo: [0], baseScore: "0")
    #expect(xgboostError(cyclic.json.utf8.map { $0 })?.contains("not a tree") == true)
    #expect(throws: InferenceError.unsupported("the file is not a LightGBM text model (it does not start with 'tree')"))
    {
        try LightGBMModel(text: Array("{}".utf8))
    }
    #expect(throws: InferenceError.self) {
        try LightGBMModel(
            text: Array(
                LightGBMFixtures.binary.replacingOccurrences(of: "left_child=1 -1", with: "left_child=5 -1").utf8))
    }
}

@Test func lightgbmSplitsOnImpossibleFeaturesAreRefused() {
    let negative = LightGBMFixtures.binary.replacingOccurrences(of: "split_feature=0\n", with: "split_feature=-3\n")
    #expect(throws: InferenceError.unsupported("LightGBM tree 1: split_feature -3 is negative")) {
        try LightGBMModel(text: Array(negative.utf8))
    }
    let beyond = LightGBMFixtures.binary.replacingOccurrences(of: "split_feature=0 1", with: "split_feature=0 9")
    #expect(throws: InferenceError.unsupported("tree 0 splits on feature 9 of 2")) {
        try LightGBMModel(text: Array(beyond.utf8))
    }
}

@Test func nativeFlavorLoadsBothFlavorsAndRefusesPickledWrappers() throws {
    let files = ["model.ubj": good.ubjson, "model.lgb": Array(LightGBMFixtures.binary.utf8)]
    let read: (String) throws -> [UInt8] = { path in files[path] ?? [] }
    let xgb = try NativeFlavor.load(
        flavor: "xgboost", settings: ["data": "model.ubj", "model_class": "xgboost.core.Booster"], read: read)
    #expect(xgb.flavor == "xgboost" && xgb.inputNames == ["x", "y"] && xgb.inputCount == 2)
    let lgb = try NativeFlavor.load(
        flavor: "lightgbm", settings: ["data": "model.lgb", "model_class": "lightgbm.basic.Booster"], read: read)
    #expect(lgb.flavor == "lightgbm" && lgb.inputNames == ["x", "y"])
    #expect(
        throws: InferenceError.unsupported(
            "LightGBM model class 'lightgbm.sklearn.LGBMClassifier' is a pickled scikit-learn model, which Cairn does "
                + "not unpickle; log the Booster (model.booster_) to serve it natively")
    ) {
        try NativeFlavor.load(
            flavor: "lightgbm", settings: ["data": "model.pkl", "model_class": "lightgbm.sklearn.LGBMClassifier"],
            read: read)
    }
}
