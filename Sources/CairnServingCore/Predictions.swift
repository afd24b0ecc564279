import CairnCore

/// What a model returned for one call, as JSON (MLflow's `predictions` value).
public struct Predictions: Sendable, Equatable {
    /// The `predictions` value: a list with one entry per row for most models, or any JSON.
    public var value: JSONValue

    public init(_ value: JSONValue) { self.value = value }

    /// The per-row entries when the value is a list of exactly `rows` items.
    public func rows(expected rows: Int) -> [JSONValue]? {
        guard case .array(let items) = value, items.count == rows else { return nil }
        return items
    }

    /// Splits row-aligned predictions of a combined call back into one value per request.
    /// Returns nil when the model's answer is not one entry per row (the caller then predicts
    /// each request on its own).
    public func split(counts: [Int]) -> [Predictions]? {
        let total = counts.reduce(0, +)
        guard let items = rows(expected: total) else { return nil }
        var out: [Predictions] = []
        out.reserveCapacity(counts.count)
        var start = 0
        for n in counts {
            out.append(Predictions(.array(Array(items[start..<start + n]))))
            start += n
        }
        return out
    }

    /// Writes `{"predictions": …}`.
    public func writeResponse(_ w: inout JSONWriter) {
        w.object { w in
            w.key("predictions")
            w.value(value)
        }
    }
}
