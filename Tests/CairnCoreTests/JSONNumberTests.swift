import Testing

@testable import CairnCore

@Suite("JSON number text")
struct JSONNumberTests {
    /// A small seeded generator (SplitMix64), so every run checks the same values.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let edgeCases: [Double] = [
        0, -0.0, 1, -1, 0.1, 0.5, 2.5, 100, 1.0 / 3, 1e15, 1e16, 1e17, 123_456_789_012_345_680, 1e-4, 1e-5,
        1e21, 1e22, 1e300, -1e-300, 12345.678, Double.leastNonzeroMagnitude, Double.leastNormalMagnitude,
        Double.greatestFiniteMagnitude, -Double.greatestFiniteMagnitude, 9_007_199_254_740_992, 0.30000000000000004,
    ]

    /// The text of one double as the writer puts it in an array.
    static func written(_ d: Double) -> String {
        var w = JSONWriter()
        w.value(d)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    @Test(arguments: edgeCases)
    func writesEdgeCasesAsTheShortestRoundTripText(value: Double) {
        #expect(Self.written(value) == String(value))
        #expect(Double(Self.written(value)) == value)
    }

    @Test func writesRandomDoublesExactlyAsTheirDescription() {
        var rng = SplitMix64(state: 42)
        var mismatches: [Double] = []
        for i in 0..<200_000 {
            // Half arbitrary bit patterns (every exponent), half uniform in [0, 1) like typical metrics.
            let d = i % 2 == 0 ? Double(bitPattern: rng.next()) : Double.random(in: 0..<1, using: &rng)
            guard d.isFinite else { continue }
            if Self.written(d) != String(d) { mismatches.append(d) }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(3))")
    }

    @Test func writesNumbersInsideObjectsWithSeparators() {
        var w = JSONWriter()
        w.object { w in
            w.field("a", 0.25)
            w.field("b", -1e-7)
            w.field("c", Double.nan)
            w.field("d", Int64(-12))
        }
        #expect(String(decoding: w.bytes, as: UTF8.self) == #"{"a":0.25,"b":-1e-07,"c":"NaN","d":-12}"#)
    }
}
