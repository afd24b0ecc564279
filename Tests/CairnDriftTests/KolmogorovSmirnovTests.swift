import Testing

@testable import CairnDrift

@Suite struct KolmogorovSmirnovTests {
    nonisolated(unsafe) static let cases = Fixtures.cases("ks").map { ($0["name"] as! String, $0) }

    @Test(arguments: cases.map(\.0))
    func matchesScipyKs2samp(name: String) throws {
        let c = Self.cases.first { $0.0 == name }!.1
        let r = try KolmogorovSmirnov.test(Fixtures.doubles(c["a"]), Fixtures.doubles(c["b"]))
        #expect(isClose(r.statistic, Fixtures.number(c["statistic"]), rel: 1e-12), "D for \(name)")
        #expect(isClose(r.pValue!, Fixtures.number(c["pvalue"])), "p for \(name): \(r.pValue!)")
    }

    @Test func kolmogorovDistributionMatchesKstwoSF() {
        var failures: [String] = []
        for c in Fixtures.cases("kstwo") {
            let n = Int(Fixtures.number(c["n"]))
            let d = Fixtures.number(c["d"])
            let expected = Fixtures.number(c["sf"])
            let got = KolmogorovDistribution.twoSidedSF(n: n, d: d)
            if !isClose(got, expected) { failures.append("n=\(n) d=\(d): \(got) vs \(expected)") }
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(Fixtures.cases("kstwo").count > 80)
    }

    @Test func autoSwitchesToAsymptoticAboveTenThousand() {
        #expect(KolmogorovSmirnov.pValue(d: 0.02, n1: 10_000, n2: 10_000).method == .exact)
        #expect(KolmogorovSmirnov.pValue(d: 0.02, n1: 10_001, n2: 10_000).method == .asymptotic)
    }

    @Test func emptySampleIsAnError() {
        #expect(throws: DriftError.self) { try KolmogorovSmirnov.test([], [1, 2, 3]) }
        #expect(throws: DriftError.self) { try KolmogorovSmirnov.test([.nan, .infinity], [1, 2, 3]) }
    }

    @Test func identicalSamplesGiveNoEvidence() throws {
        let x = (0..<50).map { Double($0) }
        let r = try KolmogorovSmirnov.test(x, x)
        #expect(r.statistic == 0)
        #expect(r.pValue == 1)
    }
}
