import CairnCore

/// One line of ground truth in the prediction log, written by `POST /feedback`.
///
/// Serialised as JSON Lines with `"kind": "label"` and the fields `ts` (when the outcome was known,
/// RFC 3339 UTC), `request_id` and `row` (which prediction it belongs to) and `label`. Prediction
/// records carry no `kind` field, so readers tell the two apart by it.
public struct LabelRecord: Sendable, Equatable {
    /// The value of the `kind` field that marks a label line.
    public static let kind = "label"

    /// When the label was known, in milliseconds since the epoch.
    public var timestampMillis: Int64
    /// The request whose prediction this labels.
    public var requestId: String
    /// The row of that request (0 for single-row requests).
    public var row: Int
    /// The true outcome.
    public var label: JSONValue

    /// Creates a record.
    public init(timestampMillis: Int64, requestId: String, row: Int, label: JSONValue) {
        self.timestampMillis = timestampMillis
        self.requestId = requestId
        self.row = row
        self.label = label
    }

    /// Appends the record as one JSON line (with the trailing newline).
    public func write(_ w: inout JSONWriter) {
        w.object { w in
            w.field("kind", Self.kind)
            w.field("ts", RFC3339.format(millis: timestampMillis))
            w.field("request_id", requestId)
            w.field("row", Int64(row))
            w.key("label")
            w.value(label)
        }
        w.endLine()
    }

    /// Reads a record back from a parsed line; nil when it is not a label line.
    public init?(json: JSONValue) {
        guard json["kind"]?.text == Self.kind, let ts = json["ts"]?.text, let millis = RFC3339.parse(ts),
            let requestId = json["request_id"]?.text, let label = json["label"], label != .null
        else { return nil }
        self.init(timestampMillis: millis, requestId: requestId, row: Int(json["row"]?.int64 ?? 0), label: label)
    }
}
