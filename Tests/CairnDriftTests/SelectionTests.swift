import Testing

@testable import CairnDrift

@Suite struct SelectionTests {
    @Test func defaultTestFollowsEvidently() {
        let small = (0..<1000).map { Double($0 % 50) }
        let large = (0..<1001).map { Double($0 % 50) }
        #expect(DefaultTestSelection.numeric(reference: small, current: small) == .ks)
        #expect(DefaultTestSelection.numeric(reference: large, current: large) == .wasserstein)
        let fewValues = (0..<500).map { Double($0 % 4) }
        #expect(DefaultTestSelection.numeric(reference: fewValues, current: fewValues) == .chisquare)
        let binary = (0..<500).map { Double($0 % 2) }
        #expect(DefaultTestSelection.numeric(reference: binary, current: binary) == .z)
        let largeFew = (0..<2000).map { Double($0 % 4) }
        #expect(DefaultTestSelection.numeric(reference: largeFew, current: largeFew) == .jensenshannon)
        // Distinct values are counted over reference and current together.
        #expect(DefaultTestSelection.numeric(reference: Array(fewValues.prefix(100)), current: [7, 8, 9]) == .ks)
        #expect(DefaultTestSelection.categorical(reference: ["a", "b"], current: ["a"]) == .z)
        #expect(DefaultTestSelection.categorical(reference: ["a", "b", "c"], current: ["a"]) == .chisquare)
        #expect(
            DefaultTestSelection.categorical(reference: Array(repeating: "a", count: 1001), current: ["a"])
                == .jensenshannon)
    }

    @Test func nanValuesAreDroppedBeforeTesting() throws {
        let c = Fixtures.stats["nan"] as! [String: Any]
        let r = try ColumnDrift.evaluate(
            name: "x", reference: .numeric(Fixtures.doubles(c["a"])), current: .numeric(Fixtures.doubles(c["b"])))
        #expect(r.test == .ks)
        #expect(r.referenceCount == 370)
        #expect(r.currentCount == 330)
        #expect(isClose(r.score, Fixtures.number(c["ks_pvalue"])))
    }

    @Test func badColumnsGiveClearErrors() {
        #expect(throws: DriftError.self) {
            try ColumnDrift.evaluate(name: "x", reference: .numeric([.nan, .nan]), current: .numeric([1, 2]))
        }
        #expect(throws: DriftError.self) {
            try ColumnDrift.evaluate(name: "x", reference: .numeric([1]), current: .categorical(["a"]))
        }
        #expect(throws: DriftError.self) {
            try ColumnDrift.evaluate(name: "x", reference: .categorical([]), current: .categorical(["a"]))
        }
        #expect(throws: DriftError.self) {
            try ColumnDrift.evaluate(name: "x", reference: .categorical(["a"]), current: .categorical(["b"]), test: .ks)
        }
    }

    @Test func thresholdsAndRulesFollowEvidently() throws {
        #expect(DriftTestKind.ks.defaultThreshold == 0.05)
        #expect(DriftTestKind.wasserstein.defaultThreshold == 0.1)
        #expect(DriftTestKind.ks.isDrift(score: 0.05, threshold: 0.05))
        #expect(!DriftTestKind.chisquare.isDrift(score: 0.05, threshold: 0.05))
        #expect(DriftTestKind.wasserstein.isDrift(score: 0.1, threshold: 0.1))
        #expect(!DriftTestKind.energy.isDrift(score: 0.1, threshold: 0.1))
        let r = try ColumnDrift.evaluate(
            name: "x", reference: .numeric([1, 2, 3, 4, 5, 6, 7]), current: .numeric([1, 2, 3, 4, 5, 6, 7]),
            test: .wasserstein, threshold: 0.5)
        #expect(r.threshold == 0.5)
        #expect(r.score == 0)
        #expect(!r.driftDetected)
    }

    static func column(_ name: String, _ p: Double, test: DriftTestKind = .ks) -> ColumnDriftResult {
        ColumnDriftResult(
            name: name, type: .numeric, test: test, score: p, threshold: 0.05,
            driftDetected: test.isDrift(score: p, threshold: 0.05), referenceCount: 10, currentCount: 10)
    }

    @Test func datasetVerdictUsesShareAtLeastHalf() {
        let cols = [Self.column("a", 0.01), Self.column("b", 0.2), Self.column("c", 0.03), Self.column("d", 0.5)]
        let v = DatasetDrift.verdict(columns: cols)
        #expect(v.driftedColumns == 2)
        #expect(v.driftShare == 0.5)
        #expect(v.datasetDrift)
        #expect(!DatasetDrift.verdict(columns: cols, driftShare: 0.6).datasetDrift)
        #expect(!DatasetDrift.verdict(columns: []).datasetDrift)
    }

    @Test func bonferroniAndBenjaminiHochberg() {
        let cols = [Self.column("a", 0.001), Self.column("b", 0.02), Self.column("c", 0.03), Self.column("d", 0.5)]
        let bonferroni = DatasetDrift.verdict(columns: cols, correction: .bonferroni)
        #expect(bonferroni.columns.map(\.driftDetected) == [true, false, false, false])
        // BH at 0.05 with m = 4: thresholds 0.0125, 0.025, 0.0375, 0.05 → the first three pass.
        let bh = DatasetDrift.verdict(columns: cols, correction: .benjaminiHochberg)
        #expect(bh.columns.map(\.driftDetected) == [true, true, true, false])
        // Distance columns are not corrected.
        let mixed = [Self.column("w", 0.2, test: .wasserstein), Self.column("a", 0.03)]
        #expect(DatasetDrift.apply(.bonferroni, to: mixed).map(\.driftDetected) == [true, true])
    }
}

@Suite struct SortingTests {
    @Test func radixSortMatchesStandardSort() {
        var rng = SplitMix64(seed: 77)
        var values = (0..<20_000).map { _ in Double.random(in: -1e6...1e6, using: &rng) }
        values += [0, -0.0, 1e-300, -1e-300, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 5, 5, 5]
        let sorted = Sorting.radixSorted(values)
        #expect(sorted.count == values.count)
        #expect(zip(sorted, values.sorted()).allSatisfy { $0 == $1 })
        #expect(Sorting.sortedFinite([3, .nan, 1, .infinity, 2]) == [1, 2, 3])
    }
}
