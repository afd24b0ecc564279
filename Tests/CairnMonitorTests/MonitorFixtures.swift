import CairnCore
import CairnDrift
import CairnServingCore
import Foundation

@testable import CairnMonitor

/// Seeded synthetic prediction streams for the monitor tests.
struct SyntheticStream {
    var rng: UInt64

    init(seed: UInt64) { rng = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func uniform() -> Double {
        rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double((rng >> 11) | 1) / Double(1 << 53)
    }

    /// A standard normal draw (Box–Muller).
    mutating func normal() -> Double {
        (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
    }

    /// One record: features x0…x(n−1), prediction `x0 > 0`, 100 rows per request, 1 ms apart.
    mutating func record(_ i: Int, shift: Double = 0, features: Int = 3, status: Int = 200, latency: Double = 5)
        -> PredictionRecord
    {
        var inputs: [(String, JSONValue)] = []
        var x0 = 0.0
        for f in 0..<features {
            let x = normal() + (f == 0 ? shift : 0)
            if f == 0 { x0 = x }
            inputs.append(("x\(f)", .double(x)))
        }
        return PredictionRecord(
            timestampMillis: 1_765_000_000_000 + Int64(i), requestId: "r\(i / 100)", model: "m", version: "1",
            role: .primary, row: i % 100, inputs: inputs, output: status < 400 ? .int(x0 > 0 ? 1 : 0) : nil,
            latencyMillis: latency, status: status)
    }

    /// The reference profile of `n` unshifted rows.
    mutating func reference(rows n: Int, features: Int = 3) -> DatasetProfile {
        var columns: [(name: String, data: ColumnData)] = []
        for f in 0..<features { columns.append(("x\(f)", .numeric((0..<n).map { _ in normal() }))) }
        return DatasetProfile(columns: columns)
    }
}

func label(_ i: Int, _ value: Int) -> LogEntry {
    .label(
        LabelRecord(
            timestampMillis: 1_765_000_000_000 + Int64(i) + 500, requestId: "r\(i / 100)", row: i % 100,
            label: .int(Int64(value))))
}
