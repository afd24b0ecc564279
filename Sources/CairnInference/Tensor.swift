/// A dense tensor: a shape and row-major values of one element type.
public struct Tensor: Sendable, Equatable {
    /// Dimensions, outermost first (a scalar has none).
    public var shape: [Int]
    /// The values, row-major.
    public var values: Values

    public init(shape: [Int], values: Values) {
        self.shape = shape
        self.values = values
    }

    /// Element storage.
    public enum Values: Sendable, Equatable {
        case float([Float])
        case double([Double])
        case int64([Int64])
        case string([String])
        case bool([Bool])

        /// Number of elements.
        public var count: Int {
            switch self {
            case .float(let v): v.count
            case .double(let v): v.count
            case .int64(let v): v.count
            case .string(let v): v.count
            case .bool(let v): v.count
            }
        }
    }

    /// Number of elements the shape holds.
    public var elementCount: Int { shape.reduce(1, *) }
}

/// What a native model returns, shaped the way the flavor's MLflow `pyfunc` wrapper returns it, so
/// the serving layer writes the same JSON as `mlflow models serve`.
public enum ModelOutput: Sendable, Equatable {
    /// A NumPy array (`predictions` is a list, or a list of lists for 2-D).
    case array(Tensor)
    /// A pandas DataFrame (`predictions` is a list of `{column: value}` records); each column has
    /// one entry per row.
    case records([(name: String, column: RecordColumn)])

    /// One DataFrame column.
    public enum RecordColumn: Sendable, Equatable {
        /// One value per row (a flattened tensor).
        case values(Tensor)
        /// One `{label: probability}` map per row (ONNX `ZipMap`).
        case maps(labels: Labels, probabilities: [Float])
    }

    /// Class labels of a probability map.
    public enum Labels: Sendable, Equatable {
        case int64([Int64])
        case string([String])

        /// Number of labels.
        public var count: Int {
            switch self {
            case .int64(let v): v.count
            case .string(let v): v.count
            }
        }
    }

    public static func == (lhs: ModelOutput, rhs: ModelOutput) -> Bool {
        switch (lhs, rhs) {
        case (.array(let a), .array(let b)): a == b
        case (.records(let a), .records(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.name == $1.name && $0.column == $1.column }
        default: false
        }
    }
}
