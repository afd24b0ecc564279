import Testing

@testable import CairnDrift

@Suite struct NumericTestsTests {
    nonisolated(unsafe) static let cases = Fixtures.cases("numeric")
    static let names = cases.map { $0["name"] as! String }

    static func fixture(_ name: String) -> (a: [Double], b: [Double], c: [String: Any]) {
        let c = cases.first { ($0["name"] as! String) == name }!
        return (Fixtures.doubles(c["a"]), Fixtures.doubles(c["b"]), c)
    }

    @Test(arguments: names)
    func wassersteinAndEnergyMatchScipy(name: String) throws {
        let (a, b, c) = Self.fixture(name)
        guard c["wasserstein"] != nil else { return }
        #expect(isClose(try CDFDistance.wasserstein(a, b), Fixtures.number(c["wasserstein"])))
        #expect(
            isClose(
                try CDFDistance.normedWasserstein(reference: a, current: b), Fixtures.number(c["wasserstein_normed"])))
        #expect(isClose(try CDFDistance.energy(a, b), Fixtures.number(c["energy"])))
    }

    @Test(arguments: names)
    func tTestsMatchScipy(name: String) throws {
        let (a, b, c) = Self.fixture(name)
        guard c["t_pooled"] != nil else { return }
        let pooled = try LocationTests.tTest(a, b, equalVariance: true)
        let welch = try LocationTests.tTest(a, b, equalVariance: false)
        let (ts, tp) = Fixtures.pair(c["t_pooled"])
        let (ws, wp) = Fixtures.pair(c["t_welch"])
        #expect(isClose(pooled.statistic, ts))
        #expect(isClose(pooled.pValue!, tp))
        #expect(isClose(welch.statistic, ws))
        #expect(isClose(welch.pValue!, wp))
    }

    @Test(arguments: names)
    func andersonDarlingMatchesScipy(name: String) throws {
        let (a, b, c) = Self.fixture(name)
        guard c["anderson"] != nil else { return }
        let r = try AndersonDarling.kSample([a, b])
        let (s, p) = Fixtures.pair(c["anderson"])
        #expect(isClose(r.statistic, s))
        #expect(isClose(r.pValue!, p))
    }

    @Test(arguments: names)
    func cramerVonMisesMatchesScipy(name: String) throws {
        let (a, b, c) = Self.fixture(name)
        guard c["cvm"] != nil else { return }
        let r = try CramerVonMises.twoSample(a, b)
        let (s, p) = Fixtures.pair(c["cvm"])
        #expect(isClose(r.statistic, s))
        // The asymptotic p-value is 1 − CDF, so both implementations carry ~1e-14 absolute rounding.
        #expect(isClose(r.pValue!, p, abs: 1e-13), "\(r.pValue!) vs \(p)")
    }

    @Test(arguments: names)
    func mannWhitneyMatchesScipy(name: String) throws {
        let (a, b, c) = Self.fixture(name)
        for alt in Alternative.allCases {
            guard c["mwu_" + alt.rawValue] != nil else { continue }
            let r = try LocationTests.mannWhitneyU(a, b, alternative: alt)
            let (s, p) = Fixtures.pair(c["mwu_" + alt.rawValue])
            #expect(isClose(r.statistic, s))
            #expect(isClose(r.pValue!, p), "\(alt): \(r.pValue!) vs \(p)")
        }
    }

    @Test func mmdSeparatesShiftedSamplesAndIsSeeded() throws {
        var rng = SplitMix64(seed: 1)
        let a = (0..<150).map { _ in Double.random(in: -1...1, using: &rng) }
        let b = (0..<150).map { _ in Double.random(in: -1...1, using: &rng) + 1.5 }
        let c = (0..<150).map { _ in Double.random(in: -1...1, using: &rng) }
        let shifted = try PermutationTests.mmd(a, b, seed: 9)
        let same = try PermutationTests.mmd(a, c, seed: 9)
        #expect(shifted.pValue! < 0.02)
        #expect(same.pValue! > 0.05)
        #expect(try PermutationTests.mmd(a, c, seed: 9) == same)
    }

    @Test func tooFewValuesAreErrors() {
        #expect(throws: DriftError.self) { try LocationTests.tTest([1], [1, 2]) }
        #expect(throws: DriftError.self) { try CramerVonMises.twoSample([1], [1, 2]) }
        #expect(throws: DriftError.self) { try AndersonDarling.kSample([[1, 1], [1, 1]]) }
        #expect(throws: DriftError.self) { try CDFDistance.wasserstein([], [1]) }
    }
}
