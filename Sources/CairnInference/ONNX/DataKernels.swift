/// `Cast` to float, double, an integer type (held as int64), bool or string.
struct CastKernel: ONNXKernel {
    let target: ElementKind

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        let code = c.int("to", 0)
        guard let kind = ElementKind(onnxType: Int(clamping: code)) else {
            throw c.unsupported("cast to data type \(code)")
        }
        target = kind
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let x = try KernelInput.tensor(inputs, 0, "Cast")
        if case .string(let s) = x.values, target != .string {
            let parsed = Tensor(shape: x.shape, values: .double(s.map { Double($0) ?? .nan }))
            return [.tensor(try parsed.cast(to: target, "Cast"))]
        }
        return [.tensor(try x.cast(to: target, "Cast"))]
    }
}

/// `Concat` of same-kind tensors along `axis`.
struct ConcatKernel: ONNXKernel {
    let axis: Int64
    var isRowWise: Bool { axis >= 1 }

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        guard c.has("axis") || c.opset < 4 else { throw c.unsupported("missing axis") }
        axis = c.int("axis", 1)
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        var parts: [Tensor] = []
        for i in inputs.indices { parts.append(try KernelInput.tensor(inputs, i, "Concat")) }
        guard let first = parts.first else { throw .badInput("Concat has no inputs") }
        let rank = first.shape.count
        let a = try KernelInput.axis(axis, rank: rank, "Concat")
        let outer = first.shape.prefix(a).reduce(1, *)
        var shape = first.shape
        shape[a] = 0
        for p in parts {
            guard p.shape.count == rank, p.shape.prefix(a) == first.shape.prefix(a),
                p.shape.dropFirst(a + 1) == first.shape.dropFirst(a + 1)
            else { throw .badInput("Concat: shapes \(parts.map(\.shape)) do not match outside axis \(a)") }
            shape[a] += p.shape[a]
        }
        // Element indices into the concatenation of all parts' values, in output order.
        var offsets: [Int] = []
        var start = 0
        for p in parts {
            offsets.append(start)
            start += p.elementCount
        }
        var order: [Int] = []
        order.reserveCapacity(start)
        for o in 0..<outer {
            for (p, part) in parts.enumerated() {
                let block = part.elementCount / max(outer, 1)
                let base = offsets[p] + o * block
                order.append(contentsOf: base..<(base + block))
            }
        }
        guard let all = Tensor.Values.concatenated(parts.map(\.values)) else {
            throw .badInput("Concat: inputs of different element types")
        }
        return [.tensor(Tensor(shape: shape, values: all.gathered(order)))]
    }
}

/// `Gather`: slices of `data` along `axis` picked by int64 indices (negative counts from the end).
struct GatherKernel: ONNXKernel {
    let axis: Int64
    let isRowWise: Bool

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        axis = c.int("axis", 0)
        isRowWise = axis > 0 || (axis == 0 && c.constants[0] != nil)
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let data = try KernelInput.tensor(inputs, 0, "Gather")
        let indices = try KernelInput.tensor(inputs, 1, "Gather")
        let a = try KernelInput.axis(axis, rank: data.shape.count, "Gather")
        let dim = data.shape[a]
        let outer = data.shape.prefix(a).reduce(1, *)
        let inner = data.shape.dropFirst(a + 1).reduce(1, *)
        var picks: [Int] = []
        for i in try indices.values.int64s("Gather") {
            let j = i < 0 ? Int(i) + dim : Int(i)
            guard j >= 0, j < dim else { throw .badInput("Gather: index \(i) out of range for dimension \(dim)") }
            picks.append(j)
        }
        var order: [Int] = []
        order.reserveCapacity(outer * picks.count * inner)
        for o in 0..<outer {
            for j in picks {
                let base = (o * dim + j) * inner
                order.append(contentsOf: base..<(base + inner))
            }
        }
        let shape = Array(data.shape.prefix(a)) + indices.shape + Array(data.shape.dropFirst(a + 1))
        return [.tensor(Tensor(shape: shape, values: data.values.gathered(order)))]
    }
}
