import Testing

@testable import CairnCore

@Suite("Validation")
struct ValidationTests {
    @Test(arguments: ["loss", "val/acc", "a-b_c.d e:f", "über"])
    func acceptsValidKeys(key: String) throws {
        try Validation.validateKey(key, kind: "Param key")
    }

    @Test(arguments: ["a@b", "../x", "/abs", "a//b", "./a", "a/..", "x\u{0}"])
    func rejectsInvalidKeys(key: String) {
        #expect(throws: MlflowError.self) { try Validation.validateKey(key, kind: "Param key") }
    }

    @Test func rejectsTooLongKeys() {
        let error = #expect(throws: MlflowError.self) {
            try Validation.validateKey(String(repeating: "k", count: 251), kind: "Param key")
        }
        #expect(error?.message == "'Param key' exceeds the maximum length of 250 characters")
    }

    @Test func truncatesLongParamAndTagValues() throws {
        #expect(try Validation.param(KeyValue("p", String(repeating: "v", count: 6001))).value.count == 6000)
        #expect(try Validation.runTag(KeyValue("t", String(repeating: "v", count: 9000))).value.count == 8000)
        #expect(try Validation.param(KeyValue("p", "")).value == "")
    }

    @Test func batchLimits() throws {
        try Validation.batchSizes(metrics: 1000, params: 0, tags: 0)
        let error = #expect(throws: MlflowError.self) { try Validation.batchSizes(metrics: 1001, params: 0, tags: 0) }
        #expect(
            error?.message.hasPrefix("A batch logging request can contain at most 1000 metrics. Got 1001 metrics.")
                == true)
        #expect(throws: MlflowError.self) { try Validation.batchSizes(metrics: 900, params: 100, tags: 1) }
        #expect(throws: MlflowError.self) { try Validation.uniqueParamKeys([KeyValue("d", "1"), KeyValue("d", "2")]) }
    }

    @Test(arguments: ["..", "a/../b", "/etc/passwd", "a\\b", "a#b", "C:/x", "%2e%2e/x", "a/%252e%252e/b", "a%2F..%2Fb"])
    func rejectsUnsafeArtifactPaths(path: String) {
        #expect(throws: ArtifactPath.invalid) { try ArtifactPath.segments(path) }
    }

    @Test func acceptsSafeArtifactPaths() throws {
        #expect(
            try ArtifactPath.segments("1/abc/artifacts/model/MLmodel") == ["1", "abc", "artifacts", "model", "MLmodel"])
        #expect(try ArtifactPath.segments("").isEmpty)
        #expect(try ArtifactPath.segments("a/./b/") == ["a", "b"])
    }

    @Test func runIdShape() throws {
        try Validation.runId("0123abcd")
        #expect(throws: MlflowError.self) { try Validation.runId("-abc") }
        #expect(throws: MlflowError.self) { try Validation.runId("") }
    }

    @Test func latestMetricOrdering() {
        let a = Metric(key: "m", value: 1, timestamp: 10, step: 1)
        #expect(Metric(key: "m", value: 0, timestamp: 0, step: 2).isLater(than: a))
        #expect(Metric(key: "m", value: 0, timestamp: 11, step: 1).isLater(than: a))
        #expect(Metric(key: "m", value: 2, timestamp: 10, step: 1).isLater(than: a))
        #expect(!Metric(key: "m", value: .nan, timestamp: 10, step: 1).isLater(than: a))
    }

    @Test func sampledStepsKeepEnds() {
        let steps = Set(MetricSampling.sampledSteps(Array(0..<1000), maxResults: 10))
        #expect(steps.count == 10)
        #expect(steps.contains(0) && steps.contains(999))
        #expect(MetricSampling.sampledSteps([3, 1, 2], maxResults: 10) == [1, 2, 3])
    }

    @Test func generatedNamesAreShort() {
        for _ in 0..<200 {
            let n = NameGenerator.randomName()
            #expect(n.count <= 20)
            #expect(n.split(separator: "-").count == 3)
        }
        #expect(Identifiers.runId().count == 32)
        #expect(Identifiers.loggedModelId().hasPrefix("m-"))
    }
}
