import CairnCore
import CairnDrift
import CairnServingCore
import Foundation
import Testing

@testable import CairnMonitor

@Suite struct PredictionMonitorTests {
    @Test func dataDriftOnlyAfterTheShift() throws {
        var s = SyntheticStream(seed: 1)
        let reference = s.reference(rows: 5000)
        var monitor = try PredictionMonitor(
            settings: MonitorSettings(window: .count(1000), model: "m", reference: reference))
        var reports: [WindowReport] = []
        for i in 0..<10_000 {
            reports += monitor.add(.prediction(s.record(i, shift: i >= 5000 ? 1 : 0)))
        }
        #expect(reports.count == 10)
        for r in reports[0..<5] {
            #expect(r.drift?.driftedColumns == 0, "false alarm in window \(r.index)")
        }
        for r in reports[5...] {
            let drifted = r.drift!.columns.filter(\.driftDetected).map(\.name)
            #expect(drifted == ["x0"], "window \(r.index): \(drifted)")
            #expect(r.metric("drift.x0.score")! > 0.5)
        }
        // The model predicts x0 > 0, so the shift moves the predictions too.
        #expect(reports[1].predictionDrift!.score < 0.1)
        #expect(reports[6].predictionDrift!.score > 0.2)
        #expect(reports[0].predictionDrift == nil)
        #expect(reports[3].requests == 10 && reports[3].firstPrediction == 3000)
        #expect(monitor.finish().report == nil)
    }

    @Test func predictionDriftAgainstValidationOutputsFromTheFirstWindow() throws {
        var s = SyntheticStream(seed: 7)
        let validation = (0..<5000).map { _ in s.normal() > 0 ? 1.0 : 0.0 }
        var settings = MonitorSettings(window: .count(1000), model: "m")
        settings.outputReference = ColumnProfile(numeric: validation)
        var monitor = try PredictionMonitor(settings: settings)
        var reports: [WindowReport] = []
        for i in 0..<6000 {
            reports += monitor.add(.prediction(s.record(i, shift: i >= 3000 ? 1 : 0)))
        }
        #expect(reports.count == 6)
        // Every window is compared with the validation outputs, the first one included.
        for r in reports[0..<3] { #expect(r.predictionDrift!.score < 0.1, "window \(r.index)") }
        for r in reports[3...] { #expect(r.predictionDrift!.score > 0.2, "window \(r.index)") }

        // Validation outputs that lean to one class make the very first window drift.
        var skewed = MonitorSettings(window: .count(1000), model: "m")
        skewed.outputReference = ColumnProfile(numeric: (0..<5000).map { $0 % 10 == 0 ? 0.0 : 1.0 })
        var second = try PredictionMonitor(settings: skewed)
        var first: [WindowReport] = []
        for i in 0..<1000 { first += second.add(.prediction(s.record(i))) }
        let score = first.first?.predictionDrift?.score ?? .nan
        #expect(first.count == 1)
        #expect(score > 0.2, "score \(score)")
    }

    @Test func healthMissingAndRange() throws {
        var s = SyntheticStream(seed: 2)
        let reference = s.reference(rows: 2000)
        var monitor = try PredictionMonitor(settings: MonitorSettings(window: .count(200), reference: reference))
        var reports: [WindowReport] = []
        for i in 0..<200 {
            var r = s.record(i, status: i < 100 ? 200 : 503, latency: Double(i % 100 + 1))
            if i % 10 == 0 { r.inputs[1].1 = .null }
            if i % 20 == 1 { r.inputs[2].1 = .double(1e6) }
            reports += monitor.add(.prediction(r))
        }
        let r = try #require(reports.first)
        #expect(r.requests == 2)
        #expect(abs(r.errorRate - 0.5) < 1e-12)
        // 20 nulls among 600 cells; 10 of 580 finite values out of the reference range.
        #expect(abs(r.missingShare - 20.0 / 600) < 1e-12)
        #expect(abs(r.outOfRangeShare - 10.0 / 580) < 1e-12)
        #expect(r.latencyP50 == 1 && r.latencyP99 == 1)
    }

    @Test func labelsGiveAccuracyAndConceptDrift() throws {
        var s = SyntheticStream(seed: 3)
        var monitor = try PredictionMonitor(settings: MonitorSettings(window: .count(1000)))
        var reports: [WindowReport] = []
        var events: [ConceptDriftEvent] = []
        for i in 0..<8000 {
            let record = s.record(i)
            reports += monitor.add(.prediction(record))
            guard case .int(let predicted) = record.output! else { continue }
            // Labels agree with the model until prediction 5000, then the relation flips.
            reports += monitor.add(label(i, i < 5000 ? Int(predicted) : 1 - Int(predicted)))
        }
        for r in reports { events += r.conceptDrift }
        #expect(reports.count == 8)
        #expect(reports[2].accuracy == 1)
        #expect(reports[7].accuracy == 0)
        let first = try #require(events.first)
        #expect(first.index >= 5000 && first.index < 5100, "detected at \(first.index)")
        #expect(reports[0..<5].allSatisfy { $0.conceptDrift.isEmpty })
        #expect(monitor.unmatchedLabels == 0)
        _ = monitor.add(label(999_999, 1))
        #expect(monitor.unmatchedLabels == 1)
    }

    @Test func lateLabelsJoinUntilTheirRequestIsForgotten() throws {
        var s = SyntheticStream(seed: 7)
        var monitor = try PredictionMonitor(settings: MonitorSettings(window: .count(2000), pendingLabelCapacity: 250))
        var records: [PredictionRecord] = []
        for i in 0..<1000 {
            let r = s.record(i)
            records.append(r)
            _ = monitor.add(.prediction(r))
        }
        // Ten requests of 100 rows; with room for 250 waiting rows, requests 7 and 8 stay in the table and
        // request 9 is still arriving.
        for i in [50, 650, 720, 999, 999] {
            guard case .int(let y) = records[i].output! else { continue }
            _ = monitor.add(label(i, Int(y)))
        }
        // Row 50 and row 650 (requests 0 and 6) were forgotten; the second label of row 999 has nothing left.
        #expect(monitor.unmatchedLabels == 3)
        let last = try #require(monitor.finish().report)
        #expect(last.labels == 2 && last.accuracy == 1)
    }

    @Test func timeWindowsAndOtherModels() throws {
        var s = SyntheticStream(seed: 4)
        var monitor = try PredictionMonitor(
            settings: MonitorSettings(window: .duration(millis: 1000), model: "m", version: "1"))
        var reports: [WindowReport] = []
        for i in 0..<2500 {
            var r = s.record(i)
            if i % 5 == 0 { r.version = "2" }
            reports += monitor.add(.prediction(r))
        }
        #expect(monitor.otherRecords == 500)
        let base: Int64 = 1_765_000_000_000
        #expect(reports.count == 2)
        #expect(reports[0].startMillis == base && reports[0].endMillis == base + 1000)
        #expect(reports[0].predictions == 800)
        let last = try #require(monitor.finish().report)
        #expect(last.predictions == 400 && last.index == 2)
        #expect(try WindowSpec(parsing: "15m") == .duration(millis: 900_000))
        #expect(throws: MonitorError.self) { try WindowSpec(parsing: "1") }
        #expect(throws: MonitorError.self) { try WindowSpec(parsing: "soon") }
        #expect(throws: MonitorError.self) { try PredictionMonitor(settings: MonitorSettings(detector: "nope")) }
    }

    @Test func followedTimeWindowClosesWhenTheClockPassesItsEnd() throws {
        var s = SyntheticStream(seed: 8)
        var monitor = try PredictionMonitor(settings: MonitorSettings(window: .duration(millis: 60_000)))
        var early: [WindowReport] = []
        for i in 0..<300 { early += monitor.add(.prediction(s.record(i))) }
        #expect(early.isEmpty)
        let base: Int64 = 1_765_000_000_000 - 1_765_000_000_000 % 60_000
        let tooSoon = monitor.closeIfExpired(nowMillis: base + 59_999)
        #expect(tooSoon == nil)
        let expired = monitor.closeIfExpired(nowMillis: base + 60_000)
        let closed = try #require(expired)
        #expect(closed.predictions == 300 && closed.startMillis == base && closed.endMillis == base + 60_000)
        let again = monitor.closeIfExpired(nowMillis: base + 600_000)
        #expect(again == nil)
    }

    @Test func shortLastCountWindowIsLeftOut() throws {
        var s = SyntheticStream(seed: 5)
        var monitor = try PredictionMonitor(settings: MonitorSettings(window: .count(100)))
        for i in 0..<140 { _ = monitor.add(.prediction(s.record(i))) }
        let (report, leftover) = monitor.finish()
        #expect(report == nil && leftover == 40)
    }

    @Test func logFilesInNameOrderWithGzip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-monitor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var s = SyntheticStream(seed: 6)
        func lines(_ range: Range<Int>) -> Data {
            var w = JSONWriter()
            for i in range { s.record(i).write(&w) }
            return Data(w.bytes)
        }
        try lines(0..<10).write(to: dir.appendingPathComponent("predictions-2026-12-07T09.jsonl"))
        try lines(10..<20).write(to: dir.appendingPathComponent("predictions-2026-12-07T09.1.jsonl"))
        let plain = dir.appendingPathComponent("predictions-2026-12-07T10.jsonl")
        try (lines(20..<30) + Data("garbage\n".utf8)).write(to: plain)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = [plain.path]
        try gzip.run()
        gzip.waitUntilExit()
        try Data("ignored".utf8).write(to: dir.appendingPathComponent("notes.txt"))
        let files = try PredictionLogFiles.list(directory: dir.path)
        #expect(
            files.map { ($0 as NSString).lastPathComponent } == [
                "predictions-2026-12-07T09.jsonl", "predictions-2026-12-07T09.1.jsonl",
                "predictions-2026-12-07T10.jsonl.gz",
            ])
        var rows: [Int] = []
        var bad = 0
        for f in files {
            try PredictionLogFiles.readLines(path: f) { line in
                if case .prediction(let r) = LogEntry.parse(line) {
                    rows.append(Int(r.timestampMillis - 1_765_000_000_000))
                } else {
                    bad += 1
                }
            }
        }
        #expect(rows == Array(0..<30))
        #expect(bad == 1)
    }

    @Test func followReadsOnlyCompleteLines() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "cairn-follow-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("{\"a\":1}\n{\"a\":".utf8).write(to: file)
        var seen: [String] = []
        let offset = try PredictionLogFiles.readLines(path: file.path, final: false) {
            seen.append(String(decoding: $0, as: UTF8.self))
        }
        #expect(seen == ["{\"a\":1}"] && offset == 8)
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("2}\n".utf8))
        try handle.close()
        seen = []
        _ = try PredictionLogFiles.readLines(path: file.path, from: offset, final: false) {
            seen.append(String(decoding: $0, as: UTF8.self))
        }
        #expect(seen == ["{\"a\":2}"])
    }
}
