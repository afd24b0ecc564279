import Foundation

/// `Add`, `Sub`, `Mul`, `Div` with NumPy broadcasting on float, double and int64 tensors.
struct BinaryKernel: ONNXKernel {
    enum Op: Sendable { case add, sub, mul, div }
    let op: Op
    let name: String

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        try c.expectInputs(2...2)
        name = c.op
        switch c.node.opType {
        case "Add": op = .add
        case "Sub": op = .sub
        case "Mul": op = .mul
        default: op = .div
        }
        if c.opset < 7 && c.has("broadcast") && c.int("axis", -1) != -1 {
            throw c.unsupported("legacy broadcast with an axis")
        }
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let a = try KernelInput.tensor(inputs, 0, name)
        let b = try KernelInput.tensor(inputs, 1, name)
        switch (a.values, b.values) {
        case (.float(let x), .float(let y)):
            if let fast = FloatLoops.binary(op, x, a.shape, y, b.shape) { return [.tensor(fast)] }
            let (r, s) = try Broadcast.apply(x, a.shape, y, b.shape, name, floatOp())
            return [.tensor(Tensor(shape: s, values: .float(r)))]
        case (.double(let x), .double(let y)):
            let (r, s) = try Broadcast.apply(x, a.shape, y, b.shape, name, doubleOp())
            return [.tensor(Tensor(shape: s, values: .double(r)))]
        case (.int64(let x), .int64(let y)):
            let f: (Int64, Int64) -> Int64
            switch op {
            case .add: f = { $0 &+ $1 }
            case .sub: f = { $0 &- $1 }
            case .mul: f = { $0 &* $1 }
            case .div: f = { $1 == 0 ? 0 : $0.dividedReportingOverflow(by: $1).partialValue }
            }
            let (r, s) = try Broadcast.apply(x, a.shape, y, b.shape, name, f)
            return [.tensor(Tensor(shape: s, values: .int64(r)))]
        default:
            throw .badInput("\(name): inputs of different or unsupported element types")
        }
    }

    private func floatOp() -> (Float, Float) -> Float {
        switch op {
        case .add: { $0 + $1 }
        case .sub: { $0 - $1 }
        case .mul: { $0 * $1 }
        case .div: { $0 / $1 }
        }
    }

    private func doubleOp() -> (Double, Double) -> Double {
        switch op {
        case .add: { $0 + $1 }
        case .sub: { $0 - $1 }
        case .mul: { $0 * $1 }
        case .div: { $0 / $1 }
        }
    }
}

/// Tight float32 loops for the common broadcasts (same shape, a scalar, a trailing row), with the
/// operator chosen outside the loop so the compiler vectorises it.
enum FloatLoops {
    /// `x op y` when the shapes are one of the fast cases, nil otherwise.
    static func binary(_ op: BinaryKernel.Op, _ x: [Float], _ sx: [Int], _ y: [Float], _ sy: [Int]) -> Tensor? {
        if sx == sy { return Tensor(shape: sx, values: .float(run(op, x, y, period: x.count, scalarLeft: false))) }
        if y.count == 1, let shape = try? Broadcast.shape(sx, sy, "") {
            let row = Swift.max(sx.last ?? 1, 1)
            return Tensor(
                shape: shape,
                values: .float(run(op, x, Array(repeating: y[0], count: row), period: row, scalarLeft: false)))
        }
        if x.count == 1, let shape = try? Broadcast.shape(sx, sy, "") {
            let row = Swift.max(sy.last ?? 1, 1)
            return Tensor(
                shape: shape,
                values: .float(run(op, y, Array(repeating: x[0], count: row), period: row, scalarLeft: true)))
        }
        let tail = Array(sy.drop { $0 == 1 })
        if sy.count <= sx.count, tail.count <= sx.count, Array(sx.suffix(tail.count)) == tail, !y.isEmpty,
            x.count % y.count == 0
        {
            return Tensor(shape: sx, values: .float(run(op, x, y, period: y.count, scalarLeft: false)))
        }
        return nil
    }

    /// `x[i] op y[i % period]` (or `y op x` with `scalarLeft`).
    private static func run(_ op: BinaryKernel.Op, _ x: [Float], _ y: [Float], period: Int, scalarLeft: Bool) -> [Float]
    {
        [Float](unsafeUninitializedCapacity: x.count) { out, initialized in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeBufferPointer { py in
                    var start = 0
                    while start < x.count {
                        let o = out.baseAddress! + start
                        let a = px.baseAddress! + start
                        let b = py.baseAddress!
                        switch (op, scalarLeft) {
                        case (.add, _): for i in 0..<period { o[i] = a[i] + b[i] }
                        case (.mul, _): for i in 0..<period { o[i] = a[i] * b[i] }
                        case (.sub, false): for i in 0..<period { o[i] = a[i] - b[i] }
                        case (.sub, true): for i in 0..<period { o[i] = b[i] - a[i] }
                        case (.div, false): for i in 0..<period { o[i] = a[i] / b[i] }
                        case (.div, true): for i in 0..<period { o[i] = b[i] / a[i] }
                        }
                        start += period
                    }
                }
            }
            initialized = x.count
        }
    }
}

/// Elementwise functions of one float or double tensor: `Relu`, `Sigmoid`, `Tanh`, `Abs`, `Neg`,
/// `Exp`, `Log`, `Sqrt`.
struct UnaryKernel: ONNXKernel {
    let opType: String
    let name: String

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        try c.expectInputs(1...1)
        opType = c.node.opType
        name = c.op
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let x = try KernelInput.tensor(inputs, 0, name)
        switch x.values {
        case .float(let v):
            return [.tensor(Tensor(shape: x.shape, values: .float(apply(v))))]
        case .double(let v):
            return [.tensor(Tensor(shape: x.shape, values: .double(apply(v))))]
        case .int64(let v) where opType == "Abs" || opType == "Neg" || opType == "Relu":
            let r: [Int64] =
                switch opType {
                case "Abs": v.map { $0 == .min ? $0 : Swift.abs($0) }
                case "Neg": v.map { 0 &- $0 }
                default: v.map { Swift.max($0, 0) }
                }
            return [.tensor(Tensor(shape: x.shape, values: .int64(r)))]
        default:
            throw .badInput("\(name) does not take \(x.values.kind) tensors")
        }
    }

    private func apply<T: BinaryFloatingPoint & ElementaryMath>(_ v: [T]) -> [T] {
        switch opType {
        case "Relu": v.map { $0 > 0 ? $0 : 0 }
        case "Sigmoid": v.map { $0 >= 0 ? 1 / (1 + T.exponential(-$0)) : T.exponential($0) / (1 + T.exponential($0)) }
        case "Tanh": v.map { T.hyperbolicTangent($0) }
        case "Abs": v.map { Swift.abs($0) }
        case "Neg": v.map { -$0 }
        case "Exp": v.map { T.exponential($0) }
        case "Log": v.map { T.logarithm($0) }
        default: v.map { $0.squareRoot() }
        }
    }
}

/// The few transcendental functions the kernels need, for `Float` and `Double`.
protocol ElementaryMath {
    static func exponential(_ x: Self) -> Self
    static func logarithm(_ x: Self) -> Self
    static func hyperbolicTangent(_ x: Self) -> Self
}

extension Float: ElementaryMath {
    static func exponential(_ x: Float) -> Float { Foundation.exp(x) }
    static func logarithm(_ x: Float) -> Float { Foundation.log(x) }
    static func hyperbolicTangent(_ x: Float) -> Float { Foundation.tanh(x) }
}

extension Double: ElementaryMath {
    static func exponential(_ x: Double) -> Double { Foundation.exp(x) }
    static func logarithm(_ x: Double) -> Double { Foundation.log(x) }
    static func hyperbolicTangent(_ x: Double) -> Double { Foundation.tanh(x) }
}

/// `Identity`: the input unchanged.
struct IdentityKernel: ONNXKernel {
    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        guard let first = inputs.first, let value = first else { throw .unsupported("Identity is missing its input") }
        return [value]
    }
}
