/// Conversions between pyfunc-shaped tables/frames and the graph's tensors.
enum ONNXFeeds {
    /// The input tensors for `table`: one 2-D tensor of all columns for a single graph input, or
    /// the column of the same name for each of several inputs.
    static func tensors(for table: Table, inputs: [ONNXValueInfo]) throws(InferenceError) -> [Tensor] {
        let rows = table.rowCount
        if inputs.count == 1 {
            let input = inputs[0]
            let columns = table.columns.count
            guard columns > 0 else { throw .badInput("the model needs at least one input column") }
            if let shape = input.shape, shape.count == 2, let width = shape[1], width != columns {
                throw .badInput("the model expects \(width) input columns, got \(columns)")
            }
            let kind = ElementKind(onnxType: input.elementType) ?? .float
            let matrix = try interleave(table, rows: rows, kind: kind, name: input.name)
            let shape = input.shape?.count == 1 && columns == 1 ? [rows] : [rows, columns]
            return [Tensor(shape: shape, values: matrix)]
        }
        var feeds: [Tensor] = []
        for input in inputs {
            guard let column = table.column(named: input.name) else {
                throw .badInput("the model expects an input column named '\(input.name)'")
            }
            let kind = ElementKind(onnxType: input.elementType) ?? .float
            let values = try convert(column, to: kind, name: input.name)
            let shape = input.shape?.count == 2 ? [rows, 1] : [rows]
            feeds.append(Tensor(shape: shape, values: values))
        }
        return feeds
    }

    /// One column converted to the input's element kind.
    private static func convert(_ column: Table.Column, to kind: ElementKind, name: String) throws(InferenceError)
        -> Tensor.Values
    {
        switch (column, kind) {
        case (.string(let v), .string): return .string(v)
        case (.string, _): throw .badInput("input '\(name)' is numeric but the column holds strings")
        case (_, .string): throw .badInput("input '\(name)' takes strings but the column is numeric")
        case (.double(let v), _):
            return try Tensor(shape: [v.count], values: .double(v)).cast(to: kind, name).values
        case (.int64(let v), _):
            return try Tensor(shape: [v.count], values: .int64(v)).cast(to: kind, name).values
        }
    }

    /// All columns as one row-major matrix of `kind`; numeric columns are written straight into
    /// the matrix (no per-column copies, which dominate single-row calls).
    private static func interleave(_ table: Table, rows: Int, kind: ElementKind, name: String) throws(InferenceError)
        -> Tensor.Values
    {
        let width = table.columns.count
        switch kind {
        case .float:
            var out = [Float](repeating: 0, count: rows * width)
            for (j, c) in table.columns.enumerated() {
                switch c {
                case .double(let v): for r in 0..<rows { out[r * width + j] = Float(v[r]) }
                case .int64(let v): for r in 0..<rows { out[r * width + j] = Float(v[r]) }
                case .string: throw .badInput("input '\(name)' is numeric but the column holds strings")
                }
            }
            return .float(out)
        case .double:
            var out = [Double](repeating: 0, count: rows * width)
            for (j, c) in table.columns.enumerated() {
                switch c {
                case .double(let v): for r in 0..<rows { out[r * width + j] = v[r] }
                case .int64(let v): for r in 0..<rows { out[r * width + j] = Double(v[r]) }
                case .string: throw .badInput("input '\(name)' is numeric but the column holds strings")
                }
            }
            return .double(out)
        default:
            let converted = try table.columns.map { (c: Table.Column) throws(InferenceError) -> Tensor.Values in
                try convert(c, to: kind, name: name)
            }
            var order: [Int] = []
            order.reserveCapacity(rows * width)
            for r in 0..<rows { for j in 0..<width { order.append(j * rows + r) } }
            guard let all = Tensor.Values.concatenated(converted) else {
                throw .badInput("input '\(name)': columns of different types")
            }
            return all.gathered(order)
        }
    }

    /// Rows `range` of a tensor whose first dimension is the batch.
    static func rows(_ t: Tensor, _ range: Range<Int>) -> Tensor {
        guard let first = t.shape.first, first > 0 else { return t }
        let width = t.elementCount / first
        var shape = t.shape
        shape[0] = range.count
        let span = (range.lowerBound * width)..<(range.upperBound * width)
        let values: Tensor.Values =
            switch t.values {
            case .float(let v): .float(Array(v[span]))
            case .double(let v): .double(Array(v[span]))
            case .int64(let v): .int64(Array(v[span]))
            case .string(let v): .string(Array(v[span]))
            case .bool(let v): .bool(Array(v[span]))
            }
        return Tensor(shape: shape, values: values)
    }

    /// Outputs of row chunks joined along the batch axis.
    static func concatenate(_ parts: [[ONNXValue]]) throws(InferenceError) -> [ONNXValue] {
        guard let first = parts.first else { return [] }
        var joined: [ONNXValue] = []
        for k in first.indices {
            switch first[k] {
            case .tensor(let t):
                var tensors: [Tensor] = []
                for p in parts { tensors.append(try p[k].tensor(for: "batch join")) }
                var shape = t.shape
                if shape.isEmpty { shape = [1] }
                shape[0] = tensors.reduce(0) { $0 + ($1.shape.first ?? 1) }
                guard let values = Tensor.Values.concatenated(tensors.map(\.values)) else {
                    throw .unsupported("ONNX outputs of chunks differ in type")
                }
                joined.append(.tensor(Tensor(shape: shape, values: values)))
            case .maps(let labels, _):
                var probabilities: [Float] = []
                for p in parts {
                    guard case .maps(_, let v) = p[k] else {
                        throw .unsupported("ONNX outputs of chunks differ in kind")
                    }
                    probabilities += v
                }
                joined.append(.maps(labels: labels, probabilities: probabilities))
            }
        }
        return joined
    }

    /// The pyfunc frame: one column per output, each flattened; all columns must have one length.
    static func frame(_ outputs: [ONNXValue], names: [String]) throws(InferenceError) -> ModelOutput {
        var columns: [(name: String, column: ModelOutput.RecordColumn)] = []
        var length: Int?
        for (name, value) in zip(names, outputs) {
            let count: Int
            switch value {
            case .tensor(let t):
                count = t.values.count
                columns.append((name, .values(Tensor(shape: [count], values: t.values))))
            case .maps(let labels, let probabilities):
                count = labels.count == 0 ? 0 : probabilities.count / labels.count
                columns.append((name, .maps(labels: labels, probabilities: probabilities)))
            }
            if let length, length != count {
                throw .unsupported(
                    "ONNX outputs flatten to different lengths (\(length) and \(count) for '\(name)'); "
                        + "MLflow's pyfunc cannot build a frame from them either")
            }
            length = count
        }
        return .records(columns)
    }
}
