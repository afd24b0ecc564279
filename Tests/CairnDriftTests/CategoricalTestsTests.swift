import Testing

@testable import CairnDrift

@Suite struct CategoricalTestsTests {
    nonisolated(unsafe) static let cases = Fixtures.cases("categorical")
    static let names = cases.map { $0["name"] as! String }

    static func fixture(_ name: String) -> (ref: [String], cur: [String], c: [String: Any]) {
        let c = cases.first { ($0["name"] as! String) == name }!
        return (Fixtures.strings(c["ref"]), Fixtures.strings(c["cur"]), c)
    }

    @Test(arguments: names)
    func chiSquareGTestAndZMatchScipy(name: String) throws {
        let (ref, cur, c) = Self.fixture(name)
        let chi = try ContingencyTests.chiSquareDrift(reference: ref, current: cur)
        let g = try ContingencyTests.gTestDrift(reference: ref, current: cur)
        let z = try ContingencyTests.proportionZTest(reference: ref, current: cur)
        let (cs, cp) = Fixtures.pair(c["chisquare"])
        let (gs, gp) = Fixtures.pair(c["g_test"])
        let (zs, zp) = Fixtures.pair(c["z"])
        #expect(isClose(chi.statistic, cs))
        #expect(isClose(chi.pValue!, cp))
        #expect(isClose(g.statistic, gs))
        #expect(isClose(g.pValue!, gp))
        #expect(isClose(z.statistic, zs))
        #expect(isClose(z.pValue!, zp))
    }

    @Test(arguments: names)
    func binnedCategoryMeasuresMatchReference(name: String) throws {
        let (ref, cur, c) = Self.fixture(name)
        for kind in [DriftTestKind.psi, .klDiv, .jensenshannon, .hellinger] {
            let got = try ColumnDrift.categoricalScore(kind, ref, cur)
            #expect(isClose(got, Fixtures.number(c[kind.rawValue])), "\(kind) \(got)")
        }
    }

    @Test func unseenCategoryIsDriftForChiSquare() throws {
        let (ref, cur, _) = Self.fixture("unseen_category")
        let r = try ColumnDrift.evaluate(name: "c", reference: .categorical(ref), current: .categorical(cur))
        #expect(r.test == .chisquare)
        #expect(r.score == 0)
        #expect(r.driftDetected)
    }

    @Test func fisherExactMatchesScipy() throws {
        for c in Fixtures.cases("fisher") {
            let t = c["table"] as! [[Int]]
            let r = ContingencyTests.fisherExact(t[0][0], t[0][1], t[1][0], t[1][1])
            #expect(isClose(r.pValue!, Fixtures.number(c["pvalue"])), "\(t): \(r.pValue!)")
        }
        let (ref, cur, c) = Self.fixture("binary_small")
        let expected = (c["fisher"] as! [String: Any])["pvalue"]
        #expect(isClose(try ColumnDrift.categoricalScore(.fisherExact, ref, cur), Fixtures.number(expected)))
    }

    @Test func fisherRejectsMoreThanTwoCategories() {
        #expect(throws: DriftError.self) { try ColumnDrift.categoricalScore(.fisherExact, ["a", "b"], ["c"]) }
    }

    @Test func totalVariationPermutationIsSeededAndSensible() throws {
        let ref = Array(repeating: "a", count: 60) + Array(repeating: "b", count: 40)
        let cur = Array(repeating: "a", count: 20) + Array(repeating: "b", count: 80)
        let r = try PermutationTests.totalVariation(reference: ref, current: cur, permutations: 300, seed: 4)
        #expect(isClose(r.statistic, 0.4))
        #expect(r.pValue! < 0.01)
        #expect(try PermutationTests.totalVariation(reference: ref, current: cur, permutations: 300, seed: 4) == r)
        let same = try PermutationTests.totalVariation(reference: ref, current: ref, permutations: 300, seed: 4)
        #expect(same.pValue! > 0.5)
    }
}
