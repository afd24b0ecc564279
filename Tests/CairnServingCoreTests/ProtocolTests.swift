import CairnCore
import Testing

@testable import CairnServingCore

@Suite struct OpenInferenceTests {
    @Test func columnsAndMatrixInputs() throws {
        let perColumn = #"""
            {"id": "7", "inputs": [{"name": "a", "shape": [2], "datatype": "FP64", "data": [1, 2.5]},
                                   {"name": "b", "shape": [2, 1], "datatype": "INT64", "data": [[3], [4]]}]}
            """#
        let r = try OpenInference.parseInfer(Array(perColumn.utf8), signatureColumns: nil)
        #expect(r.id == "7")
        #expect(r.frame == InputFrame(columns: ["a", "b"], rows: [[.int(1), .int(3)], [.double(2.5), .int(4)]]))
        let matrix = #"{"inputs": [{"name": "x", "shape": [2, 2], "datatype": "FP32", "data": [1, 2, 3, 4]}]}"#
        let m = try OpenInference.parseInfer(Array(matrix.utf8), signatureColumns: ["p", "q"])
        #expect(m.frame == InputFrame(columns: ["p", "q"], rows: [[.int(1), .int(2)], [.int(3), .int(4)]]))
    }

    @Test(arguments: [
        (#"{"inputs": []}"#, "non-empty"),
        (#"{"inputs": [{"name": "a", "shape": [2], "datatype": "FP64", "data": [1]}]}"#, "1 values"),
        (#"{"inputs": [{"name": "a", "shape": [1], "datatype": "FLOAT", "data": [1]}]}"#, "unknown datatype"),
        (#"{"inputs": [{"name": "a", "shape": [1], "datatype": "INT32", "data": ["x"]}]}"#, "not INT32"),
        (
            #"{"inputs": [{"name": "a", "shape": [1], "datatype": "FP64", "data": [1]},"#
                + #"{"name": "b", "shape": [2], "datatype": "FP64", "data": [1, 2]}]}"#, "different first dimensions"
        ),
    ])
    func badRequests(body: String, fragment: String) {
        #expect {
            _ = try OpenInference.parseInfer(Array(body.utf8), signatureColumns: nil)
        } throws: { error in
            (error as? ScoringError)?.message.contains(fragment) == true
        }
    }

    @Test func responseTensors() throws {
        var w = JSONWriter()
        OpenInference.writeInferResponse(
            &w, model: "m", version: "3", id: "9",
            predictions: Predictions(
                .array([.array([.double(0.25), .double(0.75)]), .array([.double(1), .double(0)])])),
            requestedOutputs: [])
        let doc = try JSONParser.parse(w.bytes)
        let out = doc["outputs"]?.arrayValue?.first
        #expect(doc["model_version"] == .string("3") && doc["id"] == .string("9"))
        #expect(out?["shape"] == .array([.int(2), .int(2)]))
        #expect(out?["datatype"] == .string("FP64"))
        #expect(out?["data"] == .array([.double(0.25), .double(0.75), .double(1), .double(0)]))
    }
}

@Suite struct SignatureTests {
    let signature = ModelSignature(
        inputs: try! JSONParser.parse(
            #"[{"name": "x", "type": "double", "required": true}, {"name": "n", "type": "long", "required": true},"#
                + #" {"name": "s", "type": "string", "required": false}]"#),
        outputs: nil)

    @Test func missingAndMistypedColumnsAreNamed() {
        #expect {
            try signature.check(InputFrame(columns: ["x", "extra"], rows: [[.int(1), .int(2)]]))
        } throws: { e in
            let m = (e as? ScoringError)?.message ?? ""
            return m.contains("Model is missing inputs ['n']") && m.contains("extra inputs: ['extra']")
        }
        #expect {
            try signature.check(InputFrame(columns: ["x", "n"], rows: [[.string("high"), .int(2)]]))
        } throws: { e in (e as? ScoringError)?.message.contains("column x") == true }
        #expect {
            try signature.check(InputFrame(columns: ["x", "n"], rows: [[.int(1), .double(2.5)]]))
        } throws: { e in (e as? ScoringError)?.message.contains("column n") == true }
        #expect(throws: Never.self) {
            try signature.check(InputFrame(columns: ["n", "x"], rows: [[.int(2), .double(1.5)], [.int(3), .null]]))
        }
    }
}

@Suite struct PredictionRecordTests {
    @Test func timestampsRoundTrip() {
        for ms: Int64 in [0, 1_765_100_000_123, 951_782_400_000, -1] {
            let text = RFC3339.format(millis: ms)
            #expect(RFC3339.parse(text) == ms, "\(text)")
        }
        #expect(RFC3339.format(millis: 1_765_100_000_123) == "2025-12-07T09:33:20.123Z")
        #expect(RFC3339.hourStem(millis: 1_765_100_000_123) == "2025-12-07T09")
    }

    @Test func reportComparesShadowByRequestAndCanaryByInputs() throws {
        func record(
            _ id: String, _ role: PredictionRecord.Role, _ version: String, x: Int64, out: JSONValue, status: Int = 200
        )
            -> PredictionRecord
        {
            PredictionRecord(
                timestampMillis: 0, requestId: id, model: "m", version: version, role: role, row: 0,
                inputs: [("x", .int(x))], output: status == 200 ? out : nil, latencyMillis: Double(x), status: status)
        }
        var report = RolloutReport()
        let lines: [PredictionRecord] = [
            record("r1", .primary, "1", x: 1, out: .int(0)), record("r1", .shadow, "2", x: 1, out: .int(0)),
            record("r2", .primary, "1", x: 2, out: .int(1)), record("r2", .shadow, "2", x: 2, out: .int(0)),
            record("r3", .canary, "3", x: 2, out: .int(1)), record("r4", .canary, "3", x: 9, out: .null, status: 500),
        ]
        for r in lines {
            var w = JSONWriter()
            r.write(&w)
            let parsed = try #require(PredictionRecord(json: try JSONParser.parse(Array(w.bytes.dropLast()))))
            #expect(parsed == r)
            report.add(parsed)
        }
        let rows = report.rows
        #expect(rows.map(\.role) == [.primary, .shadow, .canary])
        #expect(rows[2].errorRate == 0.5 && rows[2].compared == 1 && rows[2].agreement == 1)
        #expect(rows[1].compared == 2 && rows[1].agreement == 0.5)
    }
}
