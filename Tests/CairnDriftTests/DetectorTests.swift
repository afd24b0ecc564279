import Testing

@testable import CairnDrift

@Suite struct DetectorTests {
    nonisolated(unsafe) static let cases = Fixtures.cases("cases", in: Fixtures.detectors)
    nonisolated(unsafe) static let streams = Fixtures.detectors["streams"] as! [String: Any]

    static func make(_ name: String, _ params: [String: Any]) throws -> any DriftDetector {
        func d(_ key: String, _ fallback: Double) -> Double { (params[key] as? Double) ?? fallback }
        func i(_ key: String, _ fallback: Int) -> Int { (params[key] as? Int) ?? fallback }
        let twoSided = params["two_sided"] as? Bool ?? false
        switch name {
        case "adwin": return try ADWIN(delta: d("delta", 0.002), clock: i("clock", 32))
        case "page-hinkley":
            return try PageHinkley(
                threshold: d("threshold", 50), mode: PageHinkley.Mode(rawValue: params["mode"] as? String ?? "both")!)
        case "kswin": return try KSWIN(alpha: d("alpha", 0.005), seed: UInt64(i("seed", 0)))
        case "ddm": return try DDM()
        case "eddm": return try EDDM()
        case "hddm-a": return try HDDMA(twoSided: twoSided)
        case "hddm-w": return try HDDMW(twoSided: twoSided)
        default: fatalError(name)
        }
    }

    @Test(arguments: 0..<cases.count)
    func detectionIndicesMatchRiver(index: Int) throws {
        let c = Self.cases[index]
        let name = c["detector"] as! String
        var detector = try Self.make(name, c["params"] as! [String: Any])
        let stream = Fixtures.doubles(Self.streams[c["stream"] as! String])
        var drifts: [Int] = []
        var warnings: [Int] = []
        for (i, x) in stream.enumerated() {
            detector.update(x)
            if detector.driftDetected {
                drifts.append(i)
            } else if detector.warningDetected {
                warnings.append(i)
            }
        }
        #expect(drifts == (c["drifts"] as! [Int]), "\(name) \(c["params"]!) on \(c["stream"]!)")
        #expect(warnings == (c["warnings"] as! [Int]), "\(name) warnings")
    }

    @Test func mersenneTwisterMatchesCPythonRandom() {
        // Values printed by CPython: random.Random(42).getrandbits(32) twice, and sample() calls.
        var g = MersenneTwister(seed: 42)
        #expect(g.nextUInt32() == 2_746_317_213)
        #expect(g.nextUInt32() == 478_163_327)
        var s = MersenneTwister(seed: 42)
        #expect(
            s.sample(populationSize: 70, count: 30) == [
                14, 3, 35, 31, 28, 17, 13, 43, 47, 57, 34, 5, 37, 27, 2, 1, 58, 63, 69, 32, 38, 54, 67, 12, 45, 41, 59,
                26, 51, 65,
            ])
        // A seed wider than 32 bits and a population large enough for the rejection method.
        var big = MersenneTwister(seed: (1 << 40) + 3)
        #expect(big.sample(populationSize: 1000, count: 5) == [225, 62, 562, 853, 96])
    }

    @Test func invalidParametersAreRejected() {
        #expect(throws: DriftError.self) { try ADWIN(delta: 0) }
        #expect(throws: DriftError.self) { try KSWIN(windowSize: 50, statSize: 30) }
        #expect(throws: DriftError.self) { try EDDM(alpha: 0.8, beta: 0.9) }
        #expect(throws: DriftError.self) { try PageHinkley(threshold: 0) }
        #expect(throws: DriftError.self) { try HDDMW(lambda: 0) }
        #expect(throws: DriftError.self) { try DDM(warningThreshold: 3, driftThreshold: 2) }
    }

    @Test func resetRestoresTheInitialState() throws {
        var d = try KSWIN(seed: 1)
        let stream = Fixtures.doubles(Self.streams["gauss42"]).prefix(1500)
        let first = d.detections(in: Array(stream))
        d.reset()
        #expect(d.detections(in: Array(stream)) == first)
    }
}

@Suite struct DetectorCatalogTests {
    @Test func defaultsComeFromTheDetectorsThemselves() throws {
        #expect(
            DetectorCatalog.defaults("adwin").map(\.key) == [
                "delta", "clock", "max_buckets", "min_window_length", "grace_period",
            ])
        #expect(DetectorCatalog.defaults("page-hinkley").first { $0.key == "threshold" }?.value == "50")
        let d = try DetectorCatalog.make("kswin", parameters: ["window_size": "200", "seed": "3"])
        let k = try #require(d as? KSWIN)
        let defaults = try KSWIN()
        #expect(k.windowSize == 200 && k.seed == 3 && k.alpha == defaults.alpha)
    }

    @Test func badNamesKeysAndValuesAreErrors() {
        #expect(throws: DriftError.self) { try DetectorCatalog.make("nope", parameters: [:]) }
        #expect(throws: DriftError.self) { try DetectorCatalog.make("ddm", parameters: ["delta": "1"]) }
        #expect(throws: DriftError.self) { try DetectorCatalog.make("eddm", parameters: ["alpha": "x"]) }
        #expect(throws: DriftError.self) { try DetectorCatalog.make("page-hinkley", parameters: ["mode": "sideways"]) }
    }

    @Test func observeMatchesDetections() throws {
        var a = try PageHinkley(threshold: 20)
        var b = try DetectorCatalog.make("page-hinkley", parameters: ["threshold": "20"])
        let values = (1...100).map(Double.init)
        let viaObserve = values.enumerated().compactMap { b.observe($1, index: $0) }
        #expect(viaObserve == a.detections(in: values))
        #expect(viaObserve.map(\.index) == [29, 59, 89])
    }
}
