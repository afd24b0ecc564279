import Foundation

/// Per-column parameters: one value for every column, or one per column.
private func perColumn(_ values: [Float], _ column: Int) -> Float {
    values.count == 1 ? values[0] : values[column]
}

/// `ai.onnx.ml.Scaler`: `(x − offset) · scale` per column, float output.
struct ScalerKernel: ONNXKernel {
    let offset: [Float]
    let scale: [Float]

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        offset = c.floats("offset")
        scale = c.floats("scale")
        guard !offset.isEmpty, !scale.isEmpty else { throw c.unsupported("needs offset and scale") }
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let x = try KernelInput.tensor(inputs, 0, "Scaler")
        let (rows, columns) = x.matrixShape
        for p in [offset, scale] where p.count != 1 && p.count != columns {
            throw .badInput("Scaler has \(p.count) parameters for \(columns) columns")
        }
        var out = [Float](repeating: 0, count: rows * columns)
        if case .double(let v) = x.values {
            for i in out.indices {
                let j = i % columns
                out[i] = Float((v[i] - Double(perColumn(offset, j))) * Double(perColumn(scale, j)))
            }
        } else {
            let v = try x.values.floats("Scaler")
            for i in out.indices {
                let j = i % columns
                out[i] = (v[i] - perColumn(offset, j)) * perColumn(scale, j)
            }
        }
        return [.tensor(Tensor(shape: x.shape, values: .float(out)))]
    }
}

/// `ai.onnx.ml.Normalizer`: each row divided by its max, L1 or L2 norm.
struct NormalizerKernel: ONNXKernel {
    enum Norm: Sendable { case max, l1, l2 }
    let norm: Norm

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        switch c.string("norm", "MAX") {
        case "MAX": norm = .max
        case "L1": norm = .l1
        case "L2": norm = .l2
        case let other: throw c.unsupported("norm \(other)")
        }
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let x = try KernelInput.tensor(inputs, 0, "Normalizer")
        let (rows, columns) = x.matrixShape
        var v = try x.values.floats("Normalizer")
        for r in 0..<rows {
            let row = (r * columns)..<((r + 1) * columns)
            switch norm {
            case .max:
                var m = -Float.greatestFiniteMagnitude
                for i in row where v[i] > m { m = v[i] }
                for i in row { v[i] /= m }
            case .l1:
                var s: Float = 0
                for i in row { s += Swift.abs(v[i]) }
                for i in row { v[i] /= s }
            case .l2:
                var s: Float = 0
                for i in row { s += v[i] * v[i] }
                let n = s.squareRoot()
                for i in row { v[i] /= n }
            }
        }
        return [.tensor(Tensor(shape: x.shape, values: .float(v)))]
    }
}

/// `ai.onnx.ml.Imputer`: replaces a marker value (NaN by default) with a per-column value.
struct ImputerKernel: ONNXKernel {
    let floatValues: [Float]
    let intValues: [Int64]
    let replacedFloat: Float
    let replacedInt: Int64

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        floatValues = c.floats("imputed_value_floats")
        intValues = c.ints("imputed_value_int64s")
        replacedFloat = c.float("replaced_value_float", 0)
        replacedInt = c.int("replaced_value_int64", 0)
        guard !floatValues.isEmpty || !intValues.isEmpty else { throw c.unsupported("no imputed values") }
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let x = try KernelInput.tensor(inputs, 0, "Imputer")
        let (_, columns) = x.matrixShape
        switch x.values {
        case .int64(var v):
            guard intValues.count == 1 || intValues.count == columns else {
                throw .badInput("Imputer has \(intValues.count) values for \(columns) columns")
            }
            for i in v.indices where v[i] == replacedInt {
                v[i] = intValues.count == 1 ? intValues[0] : intValues[i % columns]
            }
            return [.tensor(Tensor(shape: x.shape, values: .int64(v)))]
        default:
            var v = try x.values.floats("Imputer")
            guard floatValues.count == 1 || floatValues.count == columns else {
                throw .badInput("Imputer has \(floatValues.count) values for \(columns) columns")
            }
            let matchNaN = replacedFloat.isNaN
            for i in v.indices where matchNaN ? v[i].isNaN : v[i] == replacedFloat {
                v[i] = perColumn(floatValues, i % columns)
            }
            return [.tensor(Tensor(shape: x.shape, values: .float(v)))]
        }
    }
}

/// `ai.onnx.ml.Binarizer`: 1 where the value exceeds the threshold, else 0, same type.
struct BinarizerKernel: ONNXKernel {
    let threshold: Float

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let x = try KernelInput.tensor(inputs, 0, "Binarizer")
        switch x.values {
        case .double(let v):
            return [.tensor(Tensor(shape: x.shape, values: .double(v.map { $0 > Double(threshold) ? 1 : 0 })))]
        default:
            let v = try x.values.floats("Binarizer")
            return [.tensor(Tensor(shape: x.shape, values: .float(v.map { $0 > threshold ? 1 : 0 })))]
        }
    }
}

/// `ai.onnx.ml.ArrayFeatureExtractor`: the entries of the last axis at the given indices.
struct ArrayFeatureExtractorKernel: ONNXKernel {
    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let x = try KernelInput.tensor(inputs, 0, "ArrayFeatureExtractor")
        let indices = try KernelInput.tensor(inputs, 1, "ArrayFeatureExtractor").values.int64s("ArrayFeatureExtractor")
        guard let last = x.shape.last else { throw .badInput("ArrayFeatureExtractor needs at least one dimension") }
        let rows = last == 0 ? 0 : x.elementCount / last
        var order: [Int] = []
        order.reserveCapacity(rows * indices.count)
        for i in indices where i < 0 || i >= last {
            throw .badInput("ArrayFeatureExtractor: index \(i) out of range for \(last) columns")
        }
        for r in 0..<rows { for i in indices { order.append(r * last + Int(i)) } }
        let shape = x.shape.count == 1 ? [1, indices.count] : x.shape.dropLast() + [indices.count]
        return [.tensor(Tensor(shape: shape, values: x.values.gathered(order)))]
    }
}

/// `ai.onnx.ml.ZipMap`: each row of class scores as a `{label: score}` map.
struct ZipMapKernel: ONNXKernel {
    let labels: ModelOutput.Labels

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        switch try ClassLabels(c) {
        case .int64(let v): labels = .int64(v)
        case .string(let v): labels = .string(v)
        }
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let x = try KernelInput.tensor(inputs, 0, "ZipMap")
        let (_, columns) = x.matrixShape
        guard columns == labels.count else {
            throw .badInput("ZipMap has \(labels.count) labels for \(columns) score columns")
        }
        return [.maps(labels: labels, probabilities: try x.values.floats("ZipMap"))]
    }
}
