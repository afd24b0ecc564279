import CairnCore
import CairnDrift
import CairnServingCore
import Foundation
import Testing

@testable import CairnMonitor

@Suite struct LogLineScannerTests {
    func scan(_ line: String, features: [(String, Bool)] = [("a", true), ("b", false)], model: String? = "m")
        -> (LogLineScanner.Result, ScannedPrediction)
    {
        var scanner = LogLineScanner(features: features, model: model, version: nil)
        var out = ScannedPrediction()
        let result = scanner.scan(Array(line.utf8)[...], into: &out)
        return (result, out)
    }

    @Test func readsTheFieldsTheMonitorUses() {
        let (r, p) = scan(
            #"{"ts":"2026-12-07T09:30:00.123Z","request_id":"q1","model":"m","version":"3","role":"primary","row":4,"#
                + #""inputs":{"b":"red","x":[1,2],"a":-1.25e-3},"outputs":[0.75],"latency_ms":3.5,"status":200}"#)
        #expect(r == .prediction)
        #expect(p.timestampMillis == RFC3339.parse("2026-12-07T09:30:00.123Z"))
        #expect(p.requestId == "q1" && p.row == 4 && p.status == 200 && p.latencyMillis == 3.5)
        #expect(p.numbers[0] == -1.25e-3 && p.texts[1] == "red")
        #expect(p.output == .number(0.75))
        let (other, _) = scan(#"{"ts":"2026-12-07T09:30:00Z","request_id":"q","model":"n","inputs":{}}"#)
        #expect(other == .otherModel)
    }

    @Test func numbersMatchStrtod() {
        let texts = [
            "0", "-0", "1", "12345678901234567890", "0.1", "0.30000000000000004", "-2.5E+3", "1e-7", "123.456e-5",
            "9007199254740993", "1.7976931348623157e308", "4.9e-324", "0.12345678901234567", "1e22", "1e23",
        ]
        for t in texts {
            let (r, p) = scan(#"{"ts":"2026-12-07T09:30:00Z","request_id":"q","inputs":{"a":"# + t + "}}")
            #expect(r == .prediction)
            #expect(p.numbers[0] == strtod(t, nil), "\(t)")
        }
    }

    @Test(arguments: [
        #"{"kind":"label","ts":"2026-12-07T09:30:00Z","request_id":"q","label":1}"#,
        #"{"ts":"2026-12-07T09:30:00Z","request_id":"q\"x","inputs":{}}"#,
        #"{"ts":"yesterday","request_id":"q","inputs":{}}"#,
        #"{"ts":"2026-12-07T09:30:00Z","inputs":{}}"#,
        #"{"ts":"2026-12-07T09:30:00Z","request_id":"q","inputs":{"a":1,}}"#,
        #"{"ts":"2026-12-07T09:30:00Z","request_id":"q","inputs":{"a":}}"#,
        "not json", "", "{",
    ])
    func unusualLinesGoTheSlowWay(line: String) {
        #expect(scan(line).0 == .other)
    }

    @Test func scannedAndParsedPathsAgree() throws {
        var s = SyntheticStream(seed: 9)
        var w = JSONWriter()
        var entries: [LogEntry] = []
        for i in 0..<3000 {
            var r = s.record(i, shift: i >= 2000 ? 1 : 0, status: i % 97 == 0 ? 500 : 200)
            if i % 13 == 0 { r.inputs[1].1 = .string("7.5") }
            r.write(&w)
            entries.append(.prediction(r))
            if i % 3 == 0, case .int(let y)? = r.output {
                let l = LabelRecord(
                    timestampMillis: r.timestampMillis, requestId: r.requestId, row: r.row, label: .int(y))
                l.write(&w)
                entries.append(.label(l))
            }
        }
        let lines = w.bytes.split(separator: 10)
        #expect(lines.count == entries.count)
        let reference = s.reference(rows: 3000)
        var fast = try PredictionMonitor(
            settings: MonitorSettings(window: .count(500), model: "m", reference: reference))
        var slow = try PredictionMonitor(
            settings: MonitorSettings(window: .count(500), model: "m", reference: reference))
        var a: [WindowReport] = []
        var b: [WindowReport] = []
        for line in lines {
            let closed = fast.add(line: line)
            #expect(closed != nil)
            a += closed ?? []
        }
        for e in entries { b += slow.add(e) }
        #expect(a.count == 6 && b.count == 6)
        for (x, y) in zip(a, b) {
            #expect(x.metrics.map(\.name) == y.metrics.map(\.name))
            for (m, n) in zip(x.metrics, y.metrics) { #expect(m.value == n.value, "\(m.name)") }
        }
        #expect(a[4].drift!.driftedColumns == 1 && a[4].labels > 0 && a[4].errors > 0)
    }
}
