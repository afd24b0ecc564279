import CairnCore

/// Reads the body of `POST /feedback` into label records.
///
/// One label: `{"request_id": "r1", "label": 1}`, with optional `row` (default 0) and `ts` (RFC 3339;
/// default now). A multi-row request is labelled at once with a list, `{"request_id": "r1",
/// "label": [1, 0, 1]}` (rows 0, 1, 2). The batch form is a JSON array of such objects, or
/// `{"labels": [...]}`.
///
/// ```swift
/// let labels = try FeedbackParser.parse(body: Array(#"{"request_id":"r1","label":1}"#.utf8), nowMillis: now)
/// ```
public enum FeedbackParser {
    /// Most labels one body may carry.
    public static let maxLabels = 100_000

    /// Parses a body; any malformed item refuses the whole body with a message naming it.
    public static func parse(body: [UInt8], nowMillis: Int64) throws(ScoringError) -> [LabelRecord] {
        let json: JSONValue
        do {
            json = try JSONParser.parse(body, maxValues: maxLabels * 8)
        } catch {
            throw .badRequest("Invalid feedback body: \(error.description)")
        }
        let items: [JSONValue]
        if let list = json.arrayValue {
            items = list
        } else if let list = json["labels"]?.arrayValue {
            items = list
        } else if json.objectValue != nil {
            items = [json]
        } else {
            throw .badRequest("A feedback body is an object with 'request_id' and 'label', or a list of them.")
        }
        guard !items.isEmpty else { throw .badRequest("The feedback body has no labels.") }
        var out: [LabelRecord] = []
        for (i, item) in items.enumerated() {
            let at = items.count > 1 ? " (item \(i))" : ""
            guard item.objectValue != nil else { throw .badRequest("Feedback item\(at) is not an object.") }
            guard let requestId = item["request_id"]?.stringValue, !requestId.isEmpty else {
                throw .badRequest("Feedback item\(at) needs a 'request_id' string.")
            }
            guard let label = item["label"], label != .null else {
                throw .badRequest("Feedback item\(at) needs a 'label'.")
            }
            var millis = nowMillis
            if let ts = item["ts"], ts != .null {
                guard let text = ts.stringValue, let parsed = RFC3339.parse(text) else {
                    throw .badRequest(
                        "Feedback item\(at): 'ts' must be an RFC 3339 UTC time such as 2026-12-07T09:30:00Z.")
                }
                millis = parsed
            }
            var firstRow = 0
            if let row = item["row"], row != .null {
                guard let r = row.int64, r >= 0, r < Int64(Int32.max) else {
                    throw .badRequest("Feedback item\(at): 'row' must be a non-negative integer.")
                }
                firstRow = Int(r)
            }
            if let labels = label.arrayValue {
                guard item["row"] == nil else {
                    throw .badRequest("Feedback item\(at): give either 'row' or a list of labels, not both.")
                }
                for (r, value) in labels.enumerated() {
                    out.append(LabelRecord(timestampMillis: millis, requestId: requestId, row: r, label: value))
                }
            } else {
                out.append(LabelRecord(timestampMillis: millis, requestId: requestId, row: firstRow, label: label))
            }
            guard out.count <= maxLabels else {
                throw .badRequest("A feedback body carries at most \(maxLabels) labels.")
            }
        }
        return out
    }
}
