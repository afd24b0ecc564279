/// `Reshape`: new dimensions from the shape input (attribute before opset 5); 0 copies the input's
/// dimension (unless `allowzero`), -1 is inferred.
struct ReshapeKernel: ONNXKernel {
    let fixedShape: [Int64]?
    let allowZero: Bool
    let isRowWise: Bool

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        let allowZero = c.int("allowzero", 0) != 0
        self.allowZero = allowZero
        if c.opset < 5 {
            fixedShape = c.ints("shape")
        } else {
            try c.expectInputs(2...2)
            fixedShape = try c.constants[1]?.values.int64s("Reshape")
        }
        isRowWise = fixedShape.map { ($0.first == -1 || $0.first == 0) && !allowZero } ?? false
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        var x = try KernelInput.tensor(inputs, 0, "Reshape")
        var requested = fixedShape ?? []
        if fixedShape == nil { requested = try KernelInput.tensor(inputs, 1, "Reshape").values.int64s("Reshape") }
        x.shape = try Self.resolve(requested, input: x.shape, allowZero: allowZero, "Reshape")
        return [.tensor(x)]
    }

    /// The concrete shape for a requested one with 0 and -1 entries.
    static func resolve(_ requested: [Int64], input: [Int], allowZero: Bool, _ op: String) throws(InferenceError)
        -> [Int]
    {
        let total = input.reduce(1, *)
        var shape: [Int] = []
        var inferred: Int?
        for (i, d) in requested.enumerated() {
            if d == 0 && !allowZero {
                guard i < input.count else { throw .badInput("\(op): cannot copy dimension \(i) of shape \(input)") }
                shape.append(input[i])
            } else if d == -1 {
                guard inferred == nil else { throw .badInput("\(op): more than one -1 in \(requested)") }
                inferred = i
                shape.append(1)
            } else if d >= 0 {
                shape.append(Int(d))
            } else {
                throw .badInput("\(op): invalid dimension \(d)")
            }
        }
        var known = 1
        for d in shape {
            let (product, overflow) = known.multipliedReportingOverflow(by: d)
            guard !overflow else { throw .badInput("\(op): shape \(requested) is too large") }
            known = product
        }
        if let inferred {
            guard known > 0, total % known == 0 else {
                throw .badInput("\(op): cannot reshape \(input) to \(requested)")
            }
            shape[inferred] = total / known
        }
        guard known * (inferred.map { shape[$0] } ?? 1) == total else {
            throw .badInput("\(op): cannot reshape \(input) to \(requested)")
        }
        return shape
    }
}

/// `Flatten`: a 2-D view, dimensions before `axis` in rows and the rest in columns.
struct FlattenKernel: ONNXKernel {
    let axis: Int64
    var isRowWise: Bool { axis >= 1 }

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        axis = c.int("axis", 1)
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        var x = try KernelInput.tensor(inputs, 0, "Flatten")
        let a = axis < 0 ? Int(axis) + x.shape.count : Int(axis)
        guard a >= 0, a <= x.shape.count else { throw .badInput("Flatten: axis \(axis) out of range for \(x.shape)") }
        x.shape = [x.shape.prefix(a).reduce(1, *), x.shape.dropFirst(a).reduce(1, *)]
        return [.tensor(x)]
    }
}

/// `Squeeze` and `Unsqueeze`: remove or insert dimensions of size one (axes from the attribute
/// before opset 13, from the second input after).
struct SqueezeKernel: ONNXKernel {
    let squeeze: Bool
    let fixedAxes: [Int64]?
    let isRowWise: Bool

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        squeeze = c.node.opType == "Squeeze"
        if c.opset < 13 {
            fixedAxes = c.has("axes") ? c.ints("axes") : nil
        } else {
            fixedAxes = try c.constants[1]?.values.int64s(c.op)
        }
        isRowWise = fixedAxes.map { $0.allSatisfy { $0 > 0 } } ?? false
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let op = squeeze ? "Squeeze" : "Unsqueeze"
        var x = try KernelInput.tensor(inputs, 0, op)
        var axes = fixedAxes
        if axes == nil, let t = try KernelInput.optional(inputs, 1, op) { axes = try t.values.int64s(op) }
        if squeeze {
            guard let axes else {
                x.shape = x.shape.filter { $0 != 1 }
                return [.tensor(x)]
            }
            var drop = Set<Int>()
            for a in axes {
                let i = try KernelInput.axis(a, rank: x.shape.count, op)
                guard x.shape[i] == 1 else { throw .badInput("Squeeze: dimension \(i) of \(x.shape) is not 1") }
                drop.insert(i)
            }
            x.shape = x.shape.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
        } else {
            guard let axes else { throw .badInput("Unsqueeze needs axes") }
            let rank = x.shape.count + axes.count
            var positions = Set<Int>()
            for a in axes { positions.insert(try KernelInput.axis(a, rank: rank, op)) }
            var shape: [Int] = []
            var rest = x.shape.makeIterator()
            for i in 0..<rank { shape.append(positions.contains(i) ? 1 : rest.next() ?? 1) }
            x.shape = shape
        }
        return [.tensor(x)]
    }
}

/// `Shape`: the input's dimensions as an int64 vector.
struct ShapeKernel: ONNXKernel {
    var isRowWise: Bool { false }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let x = try KernelInput.tensor(inputs, 0, "Shape")
        return [.tensor(Tensor(shape: [x.shape.count], values: .int64(x.shape.map { Int64($0) })))]
    }
}

/// `Constant`: the node's value attribute as a tensor, folded at load time.
enum ConstantKernel {
    /// The constant tensor the node defines.
    static func value(_ c: ONNXNodeContext) throws(InferenceError) -> Tensor {
        let a = c.node.attributes
        if let t = a["value"]?.tensor { return t }
        if let f = a["value_float"]?.float { return Tensor(shape: [], values: .float([f])) }
        if let i = a["value_int"]?.int { return Tensor(shape: [], values: .int64([i])) }
        if let v = a["value_floats"] { return Tensor(shape: [v.floats.count], values: .float(v.floats)) }
        if let v = a["value_ints"] { return Tensor(shape: [v.ints.count], values: .int64(v.ints)) }
        if let s = a["value_string"]?.string { return Tensor(shape: [], values: .string([s])) }
        if let v = a["value_strings"] { return Tensor(shape: [v.strings.count], values: .string(v.strings)) }
        throw c.unsupported("no supported value attribute")
    }
}
