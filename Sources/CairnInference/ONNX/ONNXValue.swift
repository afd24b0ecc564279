/// A value flowing between ONNX nodes: a tensor, or the sequence of maps `ZipMap` produces.
enum ONNXValue: Sendable {
    case tensor(Tensor)
    /// One `{label: probability}` map per row; `probabilities` is row-major, rows × labels.
    case maps(labels: ModelOutput.Labels, probabilities: [Float])

    /// The tensor, or a clear error naming `op` when the value is a map sequence.
    func tensor(for op: String) throws(InferenceError) -> Tensor {
        guard case .tensor(let t) = self else { throw .unsupported("\(op) expects a tensor, got a sequence of maps") }
        return t
    }
}

/// The element kinds of ``Tensor/Values``.
enum ElementKind: Sendable {
    case float, double, int64, string, bool

    /// The kind of an ONNX `TensorProto.DataType` code, nil for unsupported ones.
    init?(onnxType code: Int) {
        switch code {
        case 1: self = .float
        case 11: self = .double
        case 2, 3, 4, 5, 6, 7, 12, 13: self = .int64
        case 8: self = .string
        case 9: self = .bool
        default: return nil
        }
    }
}

extension Tensor.Values {
    /// The element kind.
    var kind: ElementKind {
        switch self {
        case .float: .float
        case .double: .double
        case .int64: .int64
        case .string: .string
        case .bool: .bool
        }
    }

    /// The values as `Float` (strings are refused by the caller's `op`).
    func floats(_ op: String) throws(InferenceError) -> [Float] {
        switch self {
        case .float(let v): v
        case .double(let v): v.map { Float($0) }
        case .int64(let v): v.map { Float($0) }
        case .bool(let v): v.map { $0 ? 1 : 0 }
        case .string: throw .unsupported("\(op) does not take string tensors")
        }
    }

    /// The values as `Double`.
    func doubles(_ op: String) throws(InferenceError) -> [Double] {
        switch self {
        case .float(let v): v.map { Double($0) }
        case .double(let v): v
        case .int64(let v): v.map { Double($0) }
        case .bool(let v): v.map { $0 ? 1 : 0 }
        case .string: throw .unsupported("\(op) does not take string tensors")
        }
    }

    /// The values as `Int64` (floating values truncated toward zero, as a C cast does).
    func int64s(_ op: String) throws(InferenceError) -> [Int64] {
        switch self {
        case .float(let v): v.map { $0.isFinite ? Int64(clamping: Int64(exactly: $0.rounded(.towardZero)) ?? 0) : 0 }
        case .double(let v): v.map { $0.isFinite ? Int64(exactly: $0.rounded(.towardZero)) ?? 0 : 0 }
        case .int64(let v): v
        case .bool(let v): v.map { $0 ? 1 : 0 }
        case .string: throw .unsupported("\(op) does not take string tensors")
        }
    }

    /// The same values reordered by `indices` (a gather of elements).
    func gathered(_ indices: [Int]) -> Tensor.Values {
        switch self {
        case .float(let v): .float(indices.map { v[$0] })
        case .double(let v): .double(indices.map { v[$0] })
        case .int64(let v): .int64(indices.map { v[$0] })
        case .string(let v): .string(indices.map { v[$0] })
        case .bool(let v): .bool(indices.map { v[$0] })
        }
    }

    /// Concatenates values of the same kind; nil when the kinds differ.
    static func concatenated(_ parts: [Tensor.Values]) -> Tensor.Values? {
        guard let first = parts.first else { return nil }
        switch first {
        case .float:
            var out: [Float] = []
            for p in parts {
                guard case .float(let v) = p else { return nil }
                out += v
            }
            return .float(out)
        case .double:
            var out: [Double] = []
            for p in parts {
                guard case .double(let v) = p else { return nil }
                out += v
            }
            return .double(out)
        case .int64:
            var out: [Int64] = []
            for p in parts {
                guard case .int64(let v) = p else { return nil }
                out += v
            }
            return .int64(out)
        case .string:
            var out: [String] = []
            for p in parts {
                guard case .string(let v) = p else { return nil }
                out += v
            }
            return .string(out)
        case .bool:
            var out: [Bool] = []
            for p in parts {
                guard case .bool(let v) = p else { return nil }
                out += v
            }
            return .bool(out)
        }
    }
}

extension Tensor {
    /// The values converted to `kind` (ONNX `Cast` semantics for the numeric kinds).
    func cast(to kind: ElementKind, _ op: String) throws(InferenceError) -> Tensor {
        if values.kind == kind { return self }
        switch kind {
        case .float: return Tensor(shape: shape, values: .float(try values.floats(op)))
        case .double: return Tensor(shape: shape, values: .double(try values.doubles(op)))
        case .int64: return Tensor(shape: shape, values: .int64(try values.int64s(op)))
        case .bool: return Tensor(shape: shape, values: .bool(try values.doubles(op).map { $0 != 0 }))
        case .string:
            switch values {
            case .float(let v): return Tensor(shape: shape, values: .string(v.map { "\($0)" }))
            case .double(let v): return Tensor(shape: shape, values: .string(v.map { "\($0)" }))
            case .int64(let v): return Tensor(shape: shape, values: .string(v.map { "\($0)" }))
            case .bool(let v): return Tensor(shape: shape, values: .string(v.map { $0 ? "1" : "0" }))
            case .string: return self
            }
        }
    }

    /// Rows and columns when the tensor is read as a matrix: a 1-D tensor is one row, a rank-N one is
    /// `shape[0]` rows of the remaining elements.
    var matrixShape: (rows: Int, columns: Int) {
        switch shape.count {
        case 0: (1, 1)
        case 1: (1, shape[0])
        default: (shape[0], shape.dropFirst().reduce(1, *))
        }
    }
}
