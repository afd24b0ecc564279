import Foundation
import Testing

@testable import CairnMonitor

@Suite struct DecimalDoubleTests {
    func parse(_ text: String) -> Double? {
        var bytes = Array(text.utf8)
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { CSVReader.parseNumber($0, 0, $0.count - 1) }
    }

    @Test func agreesWithStrtodOnEveryFormat() {
        var rng = SystemRandomNumberGenerator()
        var checked = 0
        for i in 0..<200_000 {
            let scale = [1e-12, 1e-6, 0.01, 1, 100, 1e6, 1e12, 1e18][i % 8]
            let d = Double.random(in: -1...1, using: &rng) * scale
            for text in [String(format: "%.17g", d), String(format: "%.16e", d), "\(d)", String(format: "%.6f", d)] {
                let got = parse(text)
                #expect(got == strtod(text, nil), "\(text)")
                checked += 1
            }
        }
        #expect(checked == 800_000)
    }

    @Test func halfwayAndBoundaryCases() {
        let texts = [
            "9007199254740993", "9007199254740995", "9007199254740992.5", "18014398509481985",
            "18446744073709551615", "1844674407370955161.5", "0.30000000000000004", "2.2250738585072014e-308",
            "1e-27", "1e27", "123456789012345678e-27", "999999999999999999e27", "4.9406564584124654e-324",
            "1.7976931348623157e308", "5e-324", "0.000000000000000000000000001", "7.450580596923828125e-9",
            "1.00000000000000011102230246251565404236316680908203125", "0.1e1", "1E5", "-0.0", "+.5",
        ]
        for t in texts { #expect(parse(t) == strtod(t, nil), "\(t)") }
        #expect(DecimalDouble.value(1, -28) == nil)
        #expect(DecimalDouble.value(12_345_678_901_234_567, -17) == 0.12345678901234567)
    }
}
