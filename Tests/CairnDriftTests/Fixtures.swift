import Foundation

/// Loads the JSON fixtures written by scripts/fixtures/drift_fixtures.py.
enum Fixtures {
    nonisolated(unsafe) static let stats: [String: Any] = load("stats")
    nonisolated(unsafe) static let detectors: [String: Any] = load("detectors")

    static func load(_ name: String) -> [String: Any] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"),
            let data = try? Data(contentsOf: url),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { fatalError("missing fixture \(name).json") }
        return object
    }

    static func cases(_ key: String, in doc: [String: Any] = stats) -> [[String: Any]] {
        doc[key] as? [[String: Any]] ?? []
    }

    /// A numeric array where JSON null stands for NaN.
    static func doubles(_ value: Any?) -> [Double] {
        (value as? [Any] ?? []).map { number($0) }
    }

    static func strings(_ value: Any?) -> [String] { value as? [String] ?? [] }

    static func pair(_ value: Any?) -> (Double, Double) {
        let v = doubles(value)
        return (v[0], v[1])
    }

    /// A number; the generator writes non-finite values as "inf", "-inf" or "nan".
    static func number(_ value: Any?) -> Double {
        if let n = value as? NSNumber { return n.doubleValue }
        switch value as? String {
        case "inf": return .infinity
        case "-inf": return -.infinity
        default: return .nan
        }
    }
}

/// |a − b| ≤ rel·max(|a|, |b|) + abs; infinities must match exactly.
func isClose(_ a: Double, _ b: Double, rel: Double = 1e-9, abs absTol: Double = 1e-300) -> Bool {
    if a.isInfinite || b.isInfinite { return a == b }
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    return abs(a - b) <= rel * max(abs(a), abs(b)) + absTol
}
