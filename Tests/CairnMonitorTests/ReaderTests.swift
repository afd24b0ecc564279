import CairnDrift
import Foundation
import Testing

@testable import CairnMonitor

@Suite struct ReaderTests {
    func csv(_ text: String, categorical: Set<String> = []) throws -> DataTable {
        try CSVReader.parse(Data(text.utf8), categorical: categorical)
    }

    @Test func infersTypesAndMissingValues() throws {
        let t = try csv("a,b,c\n1.5,x,1\n,y,2\nnan,\"z, w\",3\r\n-2e3,\"say \"\"hi\"\"\",4\n")
        #expect(t.rowCount == 4)
        #expect(t.columnNames == ["a", "b", "c"])
        guard case .numeric(let a) = t.columns["a"]! else { Issue.record("a should be numeric"); return }
        #expect(a[0] == 1.5 && a[1].isNaN && a[2].isNaN && a[3] == -2000)
        #expect(t.columns["b"] == .categorical(["x", "y", "z, w", "say \"hi\""]))
        #expect(t.columns["c"] == .numeric([1, 2, 3, 4]))
    }

    @Test func numberParsingIsCorrectlyRounded() throws {
        let texts = [
            "0.1", "-0.30000000000000004", "123456.789012", "1e-7", "2.5E+3", "0.000001", "-0", "007",
            "9007199254740993", "3.141592653589793238", "1.7976931348623157e308", "+4.5", ".5", "5.",
        ]
        let t = try csv("x\n" + texts.joined(separator: "\n") + "\n")
        guard case .numeric(let values) = t.columns["x"]! else {
            Issue.record("x should be numeric")
            return
        }
        for (text, value) in zip(texts, values) { #expect(value == strtod(text, nil), "\(text)") }
        #expect(try csv("x\n1\n1.2.3\n").columns["x"] == .categorical(["1", "1.2.3"]))
        #expect(try csv("x\n1\n-\n").columns["x"] == .categorical(["1", "-"]))
    }

    @Test func categoricalOverrideKeepsText() throws {
        let t = try csv("zip,v\n01234,1\n02000,2\n", categorical: ["zip"])
        #expect(t.columns["zip"] == .categorical(["01234", "02000"]))
    }

    @Test func malformedInputGivesClearErrors() {
        #expect(throws: InputError.self) { try csv("") }
        #expect(throws: InputError.self) { try csv("a,b\n") }
        #expect(throws: InputError.self) { try csv("a,b\n1,2\n3\n") }
        #expect(throws: InputError.self) { try csv("a,b\n1,\"open\n") }
        #expect(throws: InputError.self) { try csv("a,a\n1,2\n") }
        #expect(throws: InputError.self) { try CSVReader.read(path: "/nonexistent/file.csv") }
    }

    @Test func readsJSONLines() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-\(UUID().uuidString).jsonl")
        try Data(
            "{\"x\": 1, \"c\": \"a\"}\n{\"x\": null, \"c\": \"b\", \"flag\": true}\n\n{\"x\": 2.5, \"c\": \"a\"}\n".utf8
        )
        .write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let t = try TableReader.read(path: url.path)
        #expect(t.rowCount == 3)
        guard case .numeric(let x) = t.columns["x"]! else { Issue.record("x should be numeric"); return }
        #expect(x[0] == 1 && x[1].isNaN && x[2] == 2.5)
        #expect(t.columns["c"] == .categorical(["a", "b", "a"]))
        #expect(t.columns["flag"] == .categorical(["", "true", ""]))
        try Data("{\"x\": 1}\nnot json\n".utf8).write(to: url)
        #expect(throws: InputError.self) { try TableReader.read(path: url.path) }
    }
}

@Suite struct ReportTests {
    static func tables() throws -> (DataTable, DataTable) {
        var rows = "x,shifted,c\n"
        var cur = "x,shifted,c\n"
        for i in 0..<400 {
            let v = Double(i % 97) / 10
            rows += "\(v),\(v),\(["a", "b", "c"][i % 3])\n"
            cur += "\(Double((i * 7) % 97) / 10),\(v + 5),\(["a", "b", "c"][i % 2])\n"
        }
        return (try CSVReader.parse(Data(rows.utf8)), try CSVReader.parse(Data(cur.utf8)))
    }

    @Test func jsonReportHasTheDocumentedKeys() throws {
        let (ref, cur) = try Self.tables()
        let report = try DriftRunner.run(reference: ref, current: cur, options: DriftOptions())
        let data = ReportJSON.data(report)
        // The layout scripts grep for: two-space indents, `"key" : value`, keys in alphabetical order.
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"columns\" : [\n    {\n      \"current_count\" : 400,\n"))
        #expect(text.contains("\n  \"dataset_drift\" : true,\n"))
        #expect(text.hasSuffix("\n  \"skipped_columns\" : []\n}"))
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect(object["dataset_drift"] as? Bool == true)
        #expect(abs((object["drift_share"] as? Double ?? 0) - 2.0 / 3.0) < 1e-12)
        let columns = object["columns"] as! [[String: Any]]
        #expect(columns.map { $0["name"] as! String } == ["x", "shifted", "c"])
        for key in ["name", "type", "test", "score", "threshold", "drift_detected"] {
            #expect(columns.allSatisfy { $0[key] != nil }, "missing \(key)")
        }
        #expect(columns[0]["test"] as? String == "ks")
        #expect(columns[0]["drift_detected"] as? Bool == false)
        #expect(columns[1]["drift_detected"] as? Bool == true)
        #expect(columns[2]["type"] as? String == "categorical")
    }

    @Test func perColumnTestsAndMissingColumns() throws {
        let (ref, cur) = try Self.tables()
        let options = DriftOptions(columns: ["x"], test: .psi, columnTests: ["x": .wasserstein], threshold: 0.5)
        let report = try DriftRunner.run(reference: ref, current: cur, options: options)
        #expect(report.result.columns.count == 1)
        #expect(report.result.columns[0].test == .wasserstein)
        #expect(report.result.columns[0].threshold == 0.5)
        #expect(throws: InputError.self) {
            try DriftRunner.run(reference: ref, current: cur, options: DriftOptions(columns: ["nope"]))
        }
        #expect(throws: DriftError.self) {
            try DriftRunner.run(reference: ref, current: cur, options: DriftOptions(columnTests: ["c": .ks]))
        }
    }

    @Test func htmlIsSelfContained() throws {
        let (ref, cur) = try Self.tables()
        let report = try DriftRunner.run(reference: ref, current: cur, options: DriftOptions())
        let html = HTMLReport.render(report)
        #expect(html.contains("Dataset drift detected"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 3)
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=") && !html.contains("href="))
        // Drifted columns come first.
        let shifted = html.range(of: "<td>shifted</td>")!.lowerBound
        let x = html.range(of: "<td>x</td>")!.lowerBound
        #expect(shifted < x)
    }

    @Test func driftFromAStoredProfile() throws {
        let (ref, cur) = try Self.tables()
        let profile = try JSONDecoder().decode(
            DatasetProfile.self, from: try ProfileFile.data(ProfileFile.profile(ref)))
        let report = try DriftRunner.run(referenceProfile: profile, current: cur, options: DriftOptions())
        #expect(report.result.columns.map(\.test) == [.psi, .psi, .jensenshannon])
        #expect(report.result.columns.map(\.driftDetected) == [false, true, true])
    }
}

@Suite struct JSONLinesReaderTests {
    func read(_ text: String, categorical: Set<String> = []) throws -> DataTable {
        try JSONLinesReader.parse(Array(text.utf8), path: "t.jsonl", categorical: categorical)
    }

    @Test func numbersAreNumericEverythingElseCategorical() throws {
        let t = try read(
            """
            {"n": 1, "d": 2.0, "mix": 2.0, "b": false, "big": 1e20}\r
            {"n": -3, "d": 1.5e-7, "mix": "a", "b": true, "big": null, "nest": [1, {"k": "v"}]}

            """)
        #expect(t.rowCount == 2)
        #expect(t.columnNames == ["b", "big", "d", "mix", "n", "nest"])
        #expect(t.columns["n"] == .numeric([1, -3]))
        #expect(t.columns["d"] == .numeric([2, 1.5e-7]))
        guard case .numeric(let big) = t.columns["big"]! else { Issue.record("big should be numeric"); return }
        #expect(big[0] == 1e20 && big[1].isNaN)
        #expect(t.columns["b"] == .categorical(["false", "true"]))
        #expect(t.columns["mix"] == .categorical(["2.0", "a"]))
        #expect(t.columns["nest"] == .categorical(["", #"[1,{"k":"v"}]"#]))
        let forced = try read("{\"n\": 7}\n{\"n\": 1e+20}\n", categorical: ["n"])
        #expect(forced.columns["n"] == .categorical(["7", "1e+20"]))
    }

    @Test func aLineThatIsNotAnObjectIsNamed() throws {
        for bad in ["{\"x\": 1}\n[1, 2]\n", "{\"x\": 1}\n{\"x\": 1,}\n", "{\"x\": 1}\n\"text\"\n"] {
            do {
                _ = try read(bad)
                Issue.record("accepted \(bad)")
            } catch InputError.malformed(let path, let line, _) {
                #expect(path == "t.jsonl" && line == 2)
            }
        }
        #expect(throws: InputError.self) { try read("\n  \n") }
    }
}
