import CairnCore

/// A table of model inputs: named columns and row-major values, the shape every tabular request
/// format (dataframe_split, dataframe_records, columnar `inputs`, CSV, Open Inference tensors) is
/// brought to before it reaches a model.
public struct InputFrame: Sendable, Equatable {
    /// Column names, in order.
    public var columns: [String]
    /// Rows; each has one value per column.
    public var rows: [[JSONValue]]

    /// Creates a frame; every row must have `columns.count` values.
    public init(columns: [String], rows: [[JSONValue]]) {
        self.columns = columns
        self.rows = rows
    }

    /// Number of rows.
    public var count: Int { rows.count }

    /// Appends the rows of `other`, which must have the same columns.
    public mutating func append(_ other: InputFrame) {
        precondition(other.columns == columns)
        rows.append(contentsOf: other.rows)
    }

    /// One row as an object (`{"column": value, …}`).
    public func writeRow(_ index: Int, _ w: inout JSONWriter) {
        let row = rows[index]
        w.object { w in
            for (column, value) in zip(columns, row) {
                w.key(column)
                w.value(value)
            }
        }
    }

    /// Writes the frame in pandas' split orientation: `{"columns": […], "data": [[…]]}` fields.
    public func writeSplitFields(_ w: inout JSONWriter) {
        w.key("columns")
        w.array { w in for c in columns { w.value(c) } }
        w.key("data")
        w.array { w in
            for row in rows {
                w.array { w in for v in row { w.value(v) } }
            }
        }
    }
}

/// What a request asks a model to predict on.
public enum ModelInput: Sendable, Equatable {
    /// A table (the common case; requests with the same columns and params can share one model call).
    case frame(InputFrame)
    /// A TF-serving style `inputs` or `instances` document that is not a table (tensors, lists of
    /// scalars); passed to the model as MLflow parses it, one request per call.
    case tensor(format: String, value: JSONValue)

    /// Rows in the input (the first dimension of a tensor).
    public var rowCount: Int {
        switch self {
        case .frame(let f): f.count
        case .tensor(_, let value):
            switch value {
            case .array(let a): a.count
            case .object(let o): o.values.first?.arrayValue?.count ?? 1
            default: 1
            }
        }
    }
}

/// A parsed scoring request: the input and the optional inference parameters.
public struct ScoringRequest: Sendable, Equatable {
    public var input: ModelInput
    /// The `params` object, when given.
    public var params: JSONValue?

    public init(input: ModelInput, params: JSONValue? = nil) {
        self.input = input
        self.params = params
    }

    /// Requests with equal keys can be answered by one model call on their concatenated rows.
    public var batchKey: BatchKey? {
        guard case .frame(let frame) = input else { return nil }
        var w = JSONWriter()
        if let params { w.value(params) }
        return BatchKey(columns: frame.columns, params: w.bytes)
    }
}

/// Columns and serialised params: what must match for two requests to share a model call.
public struct BatchKey: Hashable, Sendable {
    public var columns: [String]
    public var params: [UInt8]
}
