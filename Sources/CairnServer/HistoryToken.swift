import CairnCore

/// Page tokens of metric histories: base64 of `{"after": [step, timestamp, value, is_nan]}`,
/// the last point of the previous page, so the next page is an index seek.
enum HistoryToken {
    static func encode(after m: Metric) -> String {
        var w = JSONWriter()
        w.object { w in
            w.key("after")
            w.array { w in
                w.value(m.step)
                w.value(m.timestamp)
                w.value(m.value.isNaN ? 0 : m.value)
                w.value(m.value.isNaN ? Int64(1) : Int64(0))
            }
        }
        return Base64.encode(w.bytes)
    }

    static func decode(_ token: String?) throws(MlflowError) -> Metric? {
        guard let token, !token.isEmpty else { return nil }
        guard let bytes = Base64.decode(token), let json = try? JSONParser.parse(bytes),
            let after = json["after"]?.arrayValue, after.count == 4, let step = after[0].int64,
            let timestamp = after[1].int64, let value = after[2].double, let nan = after[3].int64
        else { throw .invalid("Invalid page token for metric history.") }
        return Metric(key: "", value: nan == 1 ? .nan : value, timestamp: timestamp, step: step)
    }
}
