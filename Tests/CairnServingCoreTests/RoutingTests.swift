import CairnCore
import Testing

@testable import CairnServingCore

@Suite struct CanarySplitTests {
    @Test func shareIsCloseToThePercentAndKeysAreSticky() {
        let split = CanarySplit(percent: 30)
        let keys = (0..<20000).map { "user-\($0)" }
        let share = Double(keys.filter { split.routesToCanary(key: $0) }.count) / Double(keys.count)
        #expect(abs(share - 0.30) < 0.015)
        for key in keys.prefix(100) {
            let first = split.routesToCanary(key: key)
            #expect((0..<5).allSatisfy { _ in split.routesToCanary(key: key) == first })
        }
        #expect(CanarySplit(percent: 0).routesToCanary(key: nil) == false)
        #expect(CanarySplit(percent: 100).routesToCanary(key: "x") == true)
        #expect(split.routesToCanary(key: nil, random: 0.29) && !split.routesToCanary(key: nil, random: 0.31))
    }
}

@Suite struct RollbackGuardTests {
    @Test func errorRateBreachNeedsMinimumRequestsInTheWindow() {
        var g = RollbackGuard(limits: .init(maxErrorRate: 0.2, maxP99Millis: nil, windowSeconds: 10, minRequests: 10))
        for i in 0..<9 { g.record(time: Double(i) * 0.1, status: 500, millis: 5) }
        #expect(g.evaluate(now: 1) == nil)
        g.record(time: 1, status: 500, millis: 5)
        let breach = g.evaluate(now: 1)
        #expect(breach?.errorRate == 1)
        #expect(breach?.reason.contains("error rate 100 %") == true)
        // Old failures leave the window.
        for i in 0..<20 { g.record(time: 20 + Double(i) * 0.1, status: 200, millis: 5) }
        #expect(g.evaluate(now: 22) == nil)
    }

    @Test func refusedInputIsNotAFailureButSlownessIs() {
        var g = RollbackGuard(limits: .init(maxErrorRate: 0.1, maxP99Millis: 100, windowSeconds: 60, minRequests: 5))
        for i in 0..<50 { g.record(time: Double(i), status: 400, millis: 10) }
        #expect(g.evaluate(now: 50) == nil)
        g.record(time: 51, status: 200, millis: 500)
        #expect(g.evaluate(now: 51)?.reason.contains("p99 latency 500 ms") == true)
    }

    @Test func nearestRankPercentile() {
        #expect(Percentile.of(Array(1...100).map(Double.init), 0.99) == 99)
        #expect(Percentile.of(Array(1...100).map(Double.init), 0.5) == 50)
        #expect(Percentile.of([], 0.5) == 0)
    }
}

@Suite struct PredictionsTests {
    @Test func splitsRowAlignedAnswersOnly() {
        let p = Predictions(.array([.int(1), .int(2), .int(3)]))
        #expect(p.split(counts: [1, 2]) == [Predictions(.array([.int(1)])), Predictions(.array([.int(2), .int(3)]))])
        #expect(p.split(counts: [2, 2]) == nil)
        #expect(Predictions(.object(["a": .int(1)])).split(counts: [1]) == nil)
    }
}
