import Foundation
import Testing

@testable import CairnDrift

@Suite struct ProfileTests {
    static func gaussian(_ n: Int, seed: UInt64, shift: Double = 0) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in
            // Box-Muller from two uniforms.
            let u = Double.random(in: Double.ulpOfOne..<1, using: &rng)
            let v = Double.random(in: 0..<1, using: &rng)
            return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v) + shift
        }
    }

    static func maxRankError(_ sketch: KLLSketch, _ data: [Double]) -> Double {
        let sorted = data.sorted()
        var worst = 0.0
        for q in stride(from: 0.01, through: 0.99, by: 0.01) {
            let x = sorted[Int(q * Double(sorted.count - 1))]
            var trueRank = 0
            var lo = 0
            var hi = sorted.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if sorted[mid] <= x { lo = mid + 1 } else { hi = mid }
            }
            trueRank = lo
            worst = max(worst, abs(sketch.rank(x) - Double(trueRank)) / Double(sorted.count))
        }
        return worst
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func sketchRankErrorIsWithinBound(seed: UInt64) {
        let data = Self.gaussian(50_000, seed: seed)
        var sketch = KLLSketch(k: 200, seed: seed)
        sketch.insert(contentsOf: data)
        #expect(sketch.count == data.count)
        #expect(Self.maxRankError(sketch, data) <= KLLSketch.rankErrorBoundK200)
        #expect(sketch.storedItems < 1000)
        var fine = KLLSketch(k: 1024, seed: seed)
        fine.insert(contentsOf: data)
        #expect(Self.maxRankError(fine, data) <= KLLSketch.rankErrorBoundK1024)
    }

    @Test(arguments: [11, 12, 13, 14])
    func mergeOfProfilesMatchesProfileOfUnion(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let data = Self.gaussian(30_000, seed: seed, shift: 3)
        // Split into a random number of random-sized parts, including empty ones.
        let parts = Int.random(in: 2...6, using: &rng)
        var cuts = (0..<(parts - 1)).map { _ in Int.random(in: 0...data.count, using: &rng) }.sorted()
        cuts = [0] + cuts + [data.count]
        var merged = ColumnProfile(type: .numeric)
        for i in 0..<parts { try merged.merge(ColumnProfile(numeric: Array(data[cuts[i]..<cuts[i + 1]]))) }
        let whole = ColumnProfile(numeric: data)
        #expect(merged.count == whole.count)
        #expect(merged.min == whole.min && merged.max == whole.max)
        #expect(isClose(merged.mean, whole.mean, rel: 1e-12))
        #expect(isClose(merged.variance, whole.variance, rel: 1e-10))
        #expect(Self.maxRankError(merged.sketch!, data) <= KLLSketch.rankErrorBoundK1024)
    }

    @Test func mergeIsOrderInsensitiveForExactParts() throws {
        let a = ColumnProfile(categorical: ["x", "y", "x", ""])
        let b = ColumnProfile(categorical: ["z", "x"])
        var ab = a
        try ab.merge(b)
        var ba = b
        try ba.merge(a)
        #expect(ab.count == 5 && ab.missing == 1)
        #expect(ab.items!.counts == ba.items!.counts)
        #expect(ab.items!.counts == ["x": 3, "y": 1, "z": 1])
        #expect(throws: DriftError.self) { try ab.merge(ColumnProfile(numeric: [1])) }
    }

    @Test func frequentItemsBoundHolds() {
        var items = FrequentItems(capacity: 10)
        var exact: [String: Int] = [:]
        var rng = SplitMix64(seed: 3)
        for _ in 0..<5000 {
            let label = "c\(Int.random(in: 0..<40, using: &rng) % (Bool.random(using: &rng) ? 40 : 3))"
            items.insert(label)
            exact[label, default: 0] += 1
        }
        for (label, count) in exact {
            let estimate = items.counts[label, default: 0]
            #expect(estimate <= count)
            #expect(count - estimate <= 5000 / 11)
        }
    }

    @Test func profileRoundTripsThroughJSON() throws {
        let profile = DatasetProfile(columns: [
            ("x", .numeric(Self.gaussian(5000, seed: 8))), ("c", .categorical(["a", "b", "a"])),
        ])
        let data = try JSONEncoder().encode(profile)
        let decoded = try JSONDecoder().decode(DatasetProfile.self, from: data)
        #expect(decoded == profile)
    }

    @Test func psiFromProfileTracksExactDecilePSI() throws {
        let ref = Self.gaussian(40_000, seed: 21)
        let cur = Self.gaussian(40_000, seed: 22, shift: 0.3)
        let profile = ColumnProfile(numeric: ref)
        let fromProfile = try ProfileDrift.numeric(name: "x", reference: profile, current: cur, test: .psi)
        let exact = try Binning.numericShares(reference: ref, current: cur, rule: .referenceQuantiles(count: 10))
        let exactPSI = Divergences.psi(reference: exact.reference, current: exact.current)
        #expect(abs(fromProfile.score - exactPSI) < 0.003)
        #expect(fromProfile.score > 0.05)
        let same = try ProfileDrift.numeric(
            name: "x", reference: profile, current: Self.gaussian(40_000, seed: 23), test: .psi)
        #expect(same.score < 0.01)
        let ks = try ProfileDrift.numeric(name: "x", reference: profile, current: cur, test: .ks)
        #expect(ks.driftDetected)
    }

    @Test func chiSquareFromProfileFlagsNewCategory() throws {
        let profile = ColumnProfile(categorical: Array(repeating: "a", count: 500) + Array(repeating: "b", count: 500))
        let r = try ProfileDrift.categorical(
            name: "c", reference: profile, current: Array(repeating: "a", count: 50) + ["new"], test: .chisquare)
        #expect(r.driftDetected)
        let same = try ProfileDrift.categorical(
            name: "c", reference: profile, current: Array(repeating: "a", count: 50) + Array(repeating: "b", count: 50),
            test: .chisquare)
        #expect(!same.driftDetected)
    }
}
