import CairnCore
import Testing

@testable import CairnServingCore

@Suite struct FeedbackParserTests {
    let now: Int64 = 1_800_000_000_000

    func parse(_ body: String) throws(ScoringError) -> [LabelRecord] {
        try FeedbackParser.parse(body: Array(body.utf8), nowMillis: now)
    }

    @Test func singleBatchAndRowLists() throws {
        #expect(
            try parse(#"{"request_id": "r1", "label": 1}"#) == [
                LabelRecord(timestampMillis: now, requestId: "r1", row: 0, label: .int(1))
            ])
        let batch = try parse(
            #"[{"request_id": "a", "row": 3, "label": "cat", "ts": "2026-12-07T09:30:00.250Z"}, {"request_id": "b", "label": [0, 1]}]"#
        )
        #expect(batch.count == 3)
        #expect(
            batch[0]
                == LabelRecord(
                    timestampMillis: RFC3339.parse("2026-12-07T09:30:00.250Z")!, requestId: "a", row: 3,
                    label: .string("cat")))
        #expect(batch[1].requestId == "b" && batch[1].row == 0 && batch[1].label == .int(0))
        #expect(batch[2].row == 1 && batch[2].label == .int(1))
        #expect(try parse(#"{"labels": [{"request_id": "x", "label": true}]}"#).first?.label == .bool(true))
    }

    @Test(arguments: [
        ("not json", "Invalid feedback body"),
        ("[]", "no labels"),
        ("42", "request_id"),
        (#"{"label": 1}"#, "needs a 'request_id'"),
        (#"{"request_id": "r"}"#, "needs a 'label'"),
        (#"[{"request_id": "r", "label": 1}, {"request_id": 5, "label": 1}]"#, "item 1"),
        (#"{"request_id": "r", "label": 1, "ts": "yesterday"}"#, "RFC 3339"),
        (#"{"request_id": "r", "label": 1, "row": -1}"#, "non-negative"),
        (#"{"request_id": "r", "label": [1], "row": 2}"#, "not both"),
    ])
    func badBodies(body: String, fragment: String) {
        do {
            _ = try parse(body)
            Issue.record("accepted \(body)")
        } catch {
            #expect(error.status == 400)
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test func labelLineRoundTrips() throws {
        let record = LabelRecord(timestampMillis: 1_765_100_000_123, requestId: "q", row: 2, label: .double(0.5))
        var w = JSONWriter()
        record.write(&w)
        #expect(w.bytes.last == 10)
        let json = try JSONParser.parse(Array(w.bytes.dropLast()))
        #expect(LabelRecord(json: json) == record)
        #expect(PredictionRecord(json: json) == nil)
    }
}
