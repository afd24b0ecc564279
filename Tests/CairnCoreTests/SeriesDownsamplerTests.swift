import CairnCore
import Testing

@Suite struct SeriesDownsamplerTests {
    @Test func shortSeriesAreKeptWhole() {
        let points = (0..<10).map { SeriesPoint(step: Int64($0), timestamp: 0, value: Double($0)) }
        #expect(SeriesDownsampler.sample(points, maxPoints: 100) == points)
    }

    @Test func longSeriesKeepEndsAndSpikes() {
        var points = (0..<100_000).map { SeriesPoint(step: Int64($0), timestamp: 0, value: 1) }
        points[51_234].value = 50
        points[70_000].value = .nan
        let sampled = SeriesDownsampler.sample(points, maxPoints: 400)
        #expect(sampled.count <= 402)
        #expect(sampled.count >= 200)
        #expect(sampled.first?.step == 0)
        #expect(sampled.last?.step == 99_999)
        #expect(sampled.contains { $0.step == 51_234 && $0.value == 50 })
        #expect(!sampled.contains { $0.value.isNaN })
        #expect(zip(sampled, sampled.dropFirst()).allSatisfy { $0.step < $1.step })
    }
}
