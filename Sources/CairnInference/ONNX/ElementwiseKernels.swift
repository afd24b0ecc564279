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
