import Testing

@testable import CairnCore

@Suite("Sweeps and metric comparison")
struct SweepPlanTests {
    @Test func gridIsTheCartesianProduct() throws {
        let axes = [try SweepPlan.gridAxis("lr=0.1,0.01"), try SweepPlan.gridAxis("depth=3,5,7")]
        let trials = SweepPlan.grid(axes)
        #expect(trials.count == 6)
        #expect(trials[0] == [KeyValue("lr", "0.1"), KeyValue("depth", "3")])
        #expect(trials[5] == [KeyValue("lr", "0.01"), KeyValue("depth", "7")])
        #expect(Set(trials.map { $0.map(\.value).joined(separator: "/") }).count == 6)
        #expect(throws: MlflowError.self) { try SweepPlan.gridAxis("lr=") }
        #expect(throws: MlflowError.self) { try SweepPlan.gridAxis("=1,2") }
        #expect(throws: MlflowError.self) { try SweepPlan.gridAxis("lr=1,,2") }
    }

    @Test func randomDrawsAreSeededAndInBounds() throws {
        let space: [(key: String, dimension: SearchDimension)] = [
            ("lr", try SearchDimension(parsing: "loguniform:1e-4:1e-1")),
            ("depth", try SearchDimension(parsing: "int:2:8")),
            ("opt", try SearchDimension(parsing: "choice:adam,sgd")),
            ("dropout", try SearchDimension(parsing: "uniform:0:0.5")),
        ]
        let a = SweepPlan.random(space, count: 50, seed: 7)
        #expect(a == SweepPlan.random(space, count: 50, seed: 7))
        #expect(a != SweepPlan.random(space, count: 50, seed: 8))
        for trial in a {
            let lr = try #require(Double(trial[0].value))
            #expect(lr >= 1e-4 && lr <= 1e-1)
            let depth = try #require(Int(trial[1].value))
            #expect((2...8).contains(depth))
            #expect(["adam", "sgd"].contains(trial[2].value))
            let dropout = try #require(Double(trial[3].value))
            #expect(dropout >= 0 && dropout < 0.5)
        }
        #expect(Set(a.map { $0[1].value }).count > 3)
    }

    @Test(arguments: ["uniform:1", "uniform:2:1", "loguniform:0:1", "int:a:b", "choice:", "gauss:0:1", "nocolon"])
    func rejectsBadSpaces(text: String) {
        #expect(throws: MlflowError.self) { try SearchDimension(parsing: text) }
    }

    @Test func fillsPlaceholders() {
        let args = SweepPlan.fill(
            ["train.py", "--lr={lr}", "{depth}", "{missing}"], with: [KeyValue("lr", "0.1"), KeyValue("depth", "3")])
        #expect(args == ["train.py", "--lr=0.1", "3", "{missing}"])
    }

    @Test func comparesMetricsWithTolerance() {
        let original = [
            Metric(key: "acc", value: 0.9, timestamp: 0, step: 0),
            Metric(key: "loss", value: .nan, timestamp: 0, step: 0),
            Metric(key: "f1", value: 1, timestamp: 0, step: 0),
            Metric(key: "cairn.duration", value: 1, timestamp: 0, step: 0),
        ]
        let reproduced = [
            Metric(key: "acc", value: 0.9 + 1e-12, timestamp: 0, step: 0),
            Metric(key: "loss", value: .nan, timestamp: 0, step: 0),
            Metric(key: "f1", value: 1.1, timestamp: 0, step: 0),
            Metric(key: "extra", value: 1, timestamp: 0, step: 0),
        ]
        let diffs = MetricComparison.compare(original: original, reproduced: reproduced, tolerance: 1e-9)
        #expect(diffs.map(\.key) == ["acc", "extra", "f1", "loss"])
        #expect(diffs.map(\.matches) == [true, false, false, true])
    }
}
