import CairnCore
import CairnInference

extension ModelOutput {
    /// The `predictions` value `mlflow models serve` writes for this output: a NumPy array as nested
    /// lists, a DataFrame as one `{column: value}` object per row.
    public func predictions() -> Predictions {
        switch self {
        case .array(let tensor):
            return Predictions(tensor.json())
        case .records(let columns):
            let rows = columns.map { $0.column.rowCount }.max() ?? 0
            var records: [JSONValue] = []
            records.reserveCapacity(rows)
            let cells = columns.map { ($0.name, $0.column.cells()) }
            for r in 0..<rows {
                var record: [String: JSONValue] = [:]
                for (name, values) in cells where r < values.count { record[name] = values[r] }
                records.append(.object(record))
            }
            return Predictions(.array(records))
        }
    }
}

extension ModelOutput.RecordColumn {
    var rowCount: Int {
        switch self {
        case .values(let t): t.values.count
        case .maps(let labels, let probabilities): labels.count == 0 ? 0 : probabilities.count / labels.count
        }
    }

    /// One JSON value per row.
    func cells() -> [JSONValue] {
        switch self {
        case .values(let t):
            return t.values.jsonElements()
        case .maps(let labels, let probabilities):
            let keys: [String] =
                switch labels {
                case .int64(let v): v.map(String.init)
                case .string(let v): v
                }
            guard !keys.isEmpty else { return [] }
            return stride(from: 0, to: probabilities.count - keys.count + 1, by: keys.count).map { start in
                var map: [String: JSONValue] = [:]
                for (i, key) in keys.enumerated() { map[key] = .double(Double(probabilities[start + i])) }
                return .object(map)
            }
        }
    }
}

extension Tensor {
    /// Nested JSON lists following the shape (a scalar for rank 0).
    func json() -> JSONValue {
        let flat = values.jsonElements()
        guard !shape.isEmpty else { return flat.first ?? .null }
        func nest(_ dims: ArraySlice<Int>, _ offset: Int) -> JSONValue {
            guard let first = dims.first else { return flat[offset] }
            let inner = dims.dropFirst().reduce(1, *)
            return .array((0..<first).map { nest(dims.dropFirst(), offset + $0 * inner) })
        }
        guard flat.count == elementCount else { return .array(flat) }
        return nest(shape[...], 0)
    }
}

extension Tensor.Values {
    /// Every element as JSON; float32 values are written as the float64 they widen to, as NumPy's
    /// `tolist()` does (NaN and infinities become MLflow's strings when written).
    func jsonElements() -> [JSONValue] {
        switch self {
        case .float(let v): v.map { .double(Double($0)) }
        case .double(let v): v.map { .double($0) }
        case .int64(let v): v.map { .int($0) }
        case .string(let v): v.map { .string($0) }
        case .bool(let v): v.map { .bool($0) }
        }
    }
}
