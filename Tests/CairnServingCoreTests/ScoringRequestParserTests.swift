import CairnCore
import Testing

@testable import CairnServingCore

@Suite struct ScoringRequestParserTests {
    func parse(_ json: String, order: [String]? = nil) throws(ScoringError) -> ScoringRequest {
        try ScoringRequestParser.parse(body: Array(json.utf8), contentType: "application/json", columnOrder: order)
    }

    @Test func everyTabularShapeGivesTheSameFrame() throws {
        let expected = InputFrame(columns: ["a", "b"], rows: [[.int(1), .double(2.5)], [.int(3), .double(4.5)]])
        let bodies = [
            #"{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2.5], [3, 4.5]]}}"#,
            #"{"dataframe_records": [{"b": 2.5, "a": 1}, {"a": 3, "b": 4.5}]}"#,
            #"{"instances": [{"a": 1, "b": 2.5}, {"a": 3, "b": 4.5}]}"#,
            #"{"inputs": {"b": [2.5, 4.5], "a": [1, 3]}}"#,
        ]
        for body in bodies {
            #expect(try parse(body, order: ["a", "b"]).input == .frame(expected), "\(body)")
        }
        let csv = try ScoringRequestParser.parse(body: Array("a,b\n1,2.5\n3,4.5\n".utf8), contentType: "text/csv")
        #expect(csv.input == .frame(expected))
    }

    @Test func signatureOrderComesFirstThenNames() throws {
        let r = try parse(#"{"dataframe_records": [{"z": 1, "m": 2, "a": 3}]}"#, order: ["m"])
        guard case .frame(let f) = r.input else { Issue.record("not a frame"); return }
        #expect(f.columns == ["m", "a", "z"])
        #expect(f.rows == [[.int(2), .int(3), .int(1)]])
    }

    @Test func tensorsStayTensorsAndParamsAreKept() throws {
        let r = try parse(#"{"inputs": [[1, 2], [3, 4]], "params": {"k": 5}}"#)
        #expect(
            r.input
                == .tensor(format: "inputs", value: .array([.array([.int(1), .int(2)]), .array([.int(3), .int(4)])])))
        #expect(r.input.rowCount == 2)
        #expect(r.params == .object(["k": .int(5)]))
        #expect(r.batchKey == nil)
    }

    @Test(arguments: [
        (#"[1, 2]"#, "Received a list"),
        (#"{"rows": []}"#, "exactly one of the input fields"),
        (#"{"inputs": [1], "instances": [1]}"#, "Received dictionary with input fields: ['inputs', 'instances']"),
        (#"{"dataframe_split": {"columns": ["a", "b"], "data": [[1]]}}"#, "Row 0"),
        (#"{"dataframe_records": {"a": 1}}"#, "must be a list of records. Got dictionary"),
        (#"{"inputs": [1], "params": [1]}"#, "params"),
        ("{oops", "valid JSON"),
    ])
    func badBodiesAre400(body: String, fragment: String) {
        #expect {
            _ = try parse(body)
        } throws: { error in
            guard let e = error as? ScoringError else { return false }
            return e.status == 400 && e.message.contains(fragment)
        }
    }

    @Test(arguments: ["application/xml", "application/json; charset=latin-1", "text/csv; format=pandas-split", ""])
    func unsupportedContentTypesAre415(contentType: String) {
        #expect {
            _ = try ScoringRequestParser.parse(body: Array("{}".utf8), contentType: contentType)
        } throws: { error in
            (error as? ScoringError)?.status == 415 && (error as? ScoringError)?.isPlainText == true
        }
    }

    @Test func requestsWithSameColumnsAndParamsShareABatch() throws {
        let a = try parse(#"{"dataframe_split": {"columns": ["x"], "data": [[1]]}, "params": {"p": 1}}"#)
        let b = try parse(#"{"dataframe_split": {"columns": ["x"], "data": [[2], [3]]}, "params": {"p": 1}}"#)
        let c = try parse(#"{"dataframe_split": {"columns": ["x"], "data": [[2]]}, "params": {"p": 2}}"#)
        #expect(a.batchKey == b.batchKey)
        #expect(a.batchKey != c.batchKey)
    }
}

@Suite struct CSVFrameReaderTests {
    @Test func quotesTypesAndChunkBoundaries() throws {
        let text = "name,n,x,flag,empty\r\n\"Smith, \"\"J\"\"\",3,-1.5e2,True,\n\"multi\nline\",7,0.1,False,\n"
        var reader = CSVFrameReader()
        for byte in Array(text.utf8) { reader.feed([byte]) }
        try reader.finish()
        let records = reader.take()
        #expect(records.map(\.line) == [1, 2, 3])
        #expect(records[1].fields == ["Smith, \"J\"", "3", "-1.5e2", "True", ""])
        #expect(records[2].fields[0] == "multi\nline")
        let frame = try CSVFrameReader.read(Array(text.utf8))
        #expect(frame.rows[0] == [.string("Smith, \"J\""), .int(3), .double(-150), .bool(true), .null])
    }

    @Test func ragedRowsAndOpenQuotesAreErrors() {
        #expect(throws: CSVFrameReader.Failure.self) { _ = try CSVFrameReader.read(Array("a,b\n1\n".utf8)) }
        #expect(throws: CSVFrameReader.Failure.self) { _ = try CSVFrameReader.read(Array("a\n\"open\n".utf8)) }
    }
}
