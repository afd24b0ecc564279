/// Builds the row-major feature matrix a forest reads from a ``Table``.
enum FeatureMatrix {
    /// The table's values, `count` per row: columns matched by `names` when the model records names
    /// and the table has them all, otherwise the table's columns in order. With `float32`, each value
    /// is rounded to float32 first (XGBoost stores its inputs as float32). Missing values are NaN.
    static func rows(
        of table: Table, names: [String]?, count: Int, float32: Bool
    ) throws(InferenceError) -> [Double] {
        let columns: [Table.Column]
        var labels = table.names
        if let names, names.count == count, let byName = columnsByName(table, names) {
            columns = byName
            labels = names
        } else {
            guard table.columns.count == count else {
                let expected = names.map { ": " + $0.joined(separator: ", ") } ?? ""
                throw .badInput("the model expects \(count) input columns\(expected); got \(table.columns.count)")
            }
            columns = table.columns
        }
        let n = table.rowCount
        var out = [Double](repeating: .nan, count: n * count)
        for (j, column) in columns.enumerated() {
            switch column {
            case .double(let values):
                for i in 0..<n { out[i * count + j] = float32 ? Double(Float(values[i])) : values[i] }
            case .int64(let values):
                for i in 0..<n { out[i * count + j] = float32 ? Double(Float(values[i])) : Double(values[i]) }
            case .string:
                throw .badInput("column '\(labels[j])' holds strings; the model takes numbers")
            }
        }
        return out
    }

    private static func columnsByName(_ table: Table, _ names: [String]) -> [Table.Column]? {
        var out: [Table.Column] = []
        for name in names {
            guard let column = table.column(named: name) else { return nil }
            out.append(column)
        }
        return out
    }
}
