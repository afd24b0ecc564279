import Foundation

/// Splits a shape around `axis` into (outer, axis length, inner) for reductions along one axis.
private func split(_ shape: [Int], axis: Int) -> (outer: Int, length: Int, inner: Int) {
    (shape.prefix(axis).reduce(1, *), shape.isEmpty ? 1 : shape[axis], shape.dropFirst(axis + 1).reduce(1, *))
}

/// `Softmax` along `axis` (before opset 13: over the input coerced to 2-D at `axis`).
struct SoftmaxKernel: ONNXKernel {
    let axis: Int64
    let legacy: Bool
    var isRowWise: Bool { axis != 0 }

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        legacy = c.opset < 13
        axis = c.int("axis", legacy ? 1 : -1)
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let x = try KernelInput.tensor(inputs, 0, "Softmax")
        let rank = x.shape.count
        let a = try KernelInput.axis(axis, rank: rank, "Softmax")
        let (outer, length, inner) =
            legacy ? (x.shape.prefix(a).reduce(1, *), x.shape.dropFirst(a).reduce(1, *), 1) : split(x.shape, axis: a)
        switch x.values {
        case .double(let v):
            return [.tensor(Tensor(shape: x.shape, values: .double(Self.softmax(v, outer, length, inner))))]
        default:
            let v = try x.values.floats("Softmax")
            return [.tensor(Tensor(shape: x.shape, values: .float(Self.softmax(v, outer, length, inner))))]
        }
    }

    static func softmax<T: BinaryFloatingPoint & ElementaryMath>(_ v: [T], _ outer: Int, _ length: Int, _ inner: Int)
        -> [T]
    {
        var out = v
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * length * inner + i
                var m = -T.greatestFiniteMagnitude
                for j in 0..<length { m = max(m, v[base + j * inner]) }
                var sum: T = 0
                for j in 0..<length {
                    let e = T.exponential(v[base + j * inner] - m)
                    out[base + j * inner] = e
                    sum += e
                }
                for j in 0..<length { out[base + j * inner] /= sum }
            }
        }
        return out
    }
}

/// `ArgMax` along `axis` (int64 indices; first maximum unless `select_last_index`).
struct ArgMaxKernel: ONNXKernel {
    let axis: Int64
    let keepDims: Bool
    let selectLast: Bool
    var isRowWise: Bool { axis != 0 }

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        axis = c.int("axis", 0)
        keepDims = c.int("keepdims", 1) != 0
        selectLast = c.int("select_last_index", 0) != 0
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let x = try KernelInput.tensor(inputs, 0, "ArgMax")
        let a = try KernelInput.axis(axis, rank: x.shape.count, "ArgMax")
        let v = try x.values.doubles("ArgMax")
        let (outer, length, inner) = split(x.shape, axis: a)
        guard length > 0 else { throw .badInput("ArgMax over an empty axis") }
        var out = [Int64](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * length * inner + i
                var best = 0
                for j in 1..<max(length, 1) {
                    let value = v[base + j * inner]
                    let current = v[base + best * inner]
                    if value > current || (selectLast && value == current) { best = j }
                }
                out[o * inner + i] = Int64(best)
            }
        }
        var shape = x.shape
        if keepDims { shape[a] = 1 } else { shape.remove(at: a) }
        return [.tensor(Tensor(shape: shape, values: .int64(out)))]
    }
}

/// `ReduceSum` over `axes` (attribute before opset 13, second input after).
struct ReduceSumKernel: ONNXKernel {
    let fixedAxes: [Int64]?
    let keepDims: Bool
    let noopWithEmptyAxes: Bool
    let isRowWise: Bool

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        keepDims = c.int("keepdims", 1) != 0
        noopWithEmptyAxes = c.int("noop_with_empty_axes", 0) != 0
        if c.opset < 13 {
            fixedAxes = c.ints("axes")
        } else {
            fixedAxes = c.node.inputs.count > 1 ? try c.constants[1]?.values.int64s("ReduceSum") : []
        }
        isRowWise = fixedAxes.map { !$0.isEmpty && $0.allSatisfy { $0 > 0 } } ?? false
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let x = try KernelInput.tensor(inputs, 0, "ReduceSum")
        var requested = fixedAxes ?? []
        if fixedAxes == nil, let t = try KernelInput.optional(inputs, 1, "ReduceSum") {
            requested = try t.values.int64s("ReduceSum")
        }
        if requested.isEmpty && noopWithEmptyAxes { return [.tensor(x)] }
        var axes = Set<Int>()
        for a in requested { axes.insert(try KernelInput.axis(a, rank: x.shape.count, "ReduceSum")) }
        if axes.isEmpty { axes = Set(x.shape.indices) }
        // Reduce one axis at a time, highest first, so indices of the remaining axes stay valid.
        var shape = x.shape
        var isDouble = false
        var values: [Double]
        if case .double(let v) = x.values {
            values = v
            isDouble = true
        } else {
            values = try x.values.floats("ReduceSum").map { Double(Float($0)) }
        }
        for a in axes.sorted(by: >) {
            let (outer, length, inner) = split(shape, axis: a)
            var out = [Double](repeating: 0, count: outer * inner)
            for o in 0..<outer {
                for j in 0..<length {
                    for i in 0..<inner { out[o * inner + i] += values[(o * length + j) * inner + i] }
                }
            }
            values = out
            shape[a] = 1
        }
        if !keepDims { shape = shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element) }
        if isDouble { return [.tensor(Tensor(shape: shape, values: .double(values)))] }
        if case .int64 = x.values {
            return [.tensor(Tensor(shape: shape, values: .int64(values.map { Int64(exactly: $0.rounded()) ?? 0 })))]
        }
        return [.tensor(Tensor(shape: shape, values: .float(values.map { Float($0) })))]
    }
}
