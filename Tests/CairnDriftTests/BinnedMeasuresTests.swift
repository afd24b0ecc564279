import Testing

@testable import CairnDrift

@Suite struct BinnedMeasuresTests {
    nonisolated(unsafe) static let cases = Fixtures.cases("binned")

    @Test(arguments: cases.map { $0["name"] as! String })
    func numericBinnedMeasuresMatchReference(name: String) throws {
        let c = Self.cases.first { ($0["name"] as! String) == name }!
        let a = Fixtures.doubles(c["a"])
        let b = Fixtures.doubles(c["b"])
        for kind in [DriftTestKind.psi, .klDiv, .jensenshannon, .hellinger] {
            let got = try ColumnDrift.numericScore(kind, a, b)
            #expect(isClose(got, Fixtures.number(c[kind.rawValue])), "\(kind): \(got)")
        }
    }

    @Test func sturgesEdgesFollowNumpy() {
        // numpy.histogram_bin_edges(np.arange(10.0), bins="sturges") has 5 bins over [0, 9].
        let edges = Binning.sturgesEdges((0..<10).map(Double.init))
        #expect(edges.count == 6)
        #expect(edges.first == 0 && edges.last == 9)
        #expect(isClose(edges[1], 1.8))
    }

    @Test func histogramClosesOnlyTheLastBin() {
        #expect(Binning.histogram([0, 1, 1.5, 2, 3, 4], edges: [0, 1, 2, 3]) == [1, 2, 2])
    }

    @Test func zeroFillFollowsEvidently() {
        #expect(Binning.fillZeros([0.5, 0, 0.5]) == [0.5, 1e-4, 0.5])
        let tiny = Binning.fillZeros([0.99995, 0, 0.00005])
        #expect(isClose(tiny[1], 0.00005 / 1e6))
    }

    @Test func quantileBinsSplitTheReferenceEvenly() throws {
        let ref = (0..<1000).map(Double.init)
        let s = try Binning.numericShares(reference: ref, current: ref, rule: .referenceQuantiles(count: 10))
        #expect(s.reference.count == 10)
        for share in s.reference { #expect(isClose(share, 0.1, rel: 0.02)) }
        #expect(Divergences.psi(reference: s.reference, current: s.current) == 0)
    }

    @Test func divergencesOfIdenticalDistributionsAreZero() {
        let p = [0.2, 0.3, 0.5]
        #expect(Divergences.psi(reference: p, current: p) == 0)
        #expect(Divergences.kullbackLeibler(reference: p, current: p) == 0)
        #expect(Divergences.jensenShannon(reference: p, current: p) == 0)
        #expect(Divergences.hellinger(reference: p, current: p) < 1e-7)
        #expect(
            isClose(Divergences.jensenShannon(reference: [1, 0], current: [0, 1]), (0.6931471805599453).squareRoot()))
    }
}
