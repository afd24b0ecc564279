/// One compiled ONNX node: attributes checked and constants prepared at load time, then run on
/// the node's input values (nil for an omitted optional input).
protocol ONNXKernel: Sendable {
    /// Computes the node's outputs from its inputs.
    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue]
    /// True when each output row depends only on the same input row, so a batch may be split into
    /// chunks of rows and the chunks run in parallel.
    var isRowWise: Bool { get }
}

extension ONNXKernel {
    var isRowWise: Bool { true }
}

/// What a kernel factory sees of a node: its attributes, which inputs are constants, the opset.
struct ONNXNodeContext {
    let node: ONNXNodeProto
    /// The opset version of the node's domain.
    let opset: Int
    /// Constant values (initializers and `Constant` outputs) by input position.
    let constants: [Int: Tensor]

    var op: String { node.qualifiedName }

    /// The integer attribute `name`, or `fallback`.
    func int(_ name: String, _ fallback: Int64) -> Int64 { node.attributes[name]?.int ?? fallback }
    /// The float attribute `name`, or `fallback`.
    func float(_ name: String, _ fallback: Float) -> Float { node.attributes[name]?.float ?? fallback }
    /// The string attribute `name`, or `fallback`.
    func string(_ name: String, _ fallback: String) -> String { node.attributes[name]?.string ?? fallback }
    /// The list of floats `name` (empty when absent).
    func floats(_ name: String) -> [Float] { node.attributes[name]?.floats ?? [] }
    /// The list of integers `name` (empty when absent).
    func ints(_ name: String) -> [Int64] { node.attributes[name]?.ints ?? [] }
    /// The list of strings `name` (empty when absent).
    func strings(_ name: String) -> [String] { node.attributes[name]?.strings ?? [] }
    /// True when the node has attribute `name`.
    func has(_ name: String) -> Bool { node.attributes[name] != nil }
    /// A float list given as `name` or as a double tensor `name_as_tensor` (ai.onnx.ml opset 3).
    func floatsOrTensor(_ name: String) throws(InferenceError) -> [Float] {
        if let t = node.attributes[name + "_as_tensor"]?.tensor { return try t.values.floats(op) }
        return floats(name)
    }

    /// The error for an attribute value the interpreter does not handle.
    func unsupported(_ what: String) -> InferenceError {
        .unsupported("ONNX operator \(op) (node '\(node.name)'): \(what)")
    }

    /// Checks the node's input count is within `range`.
    func expectInputs(_ range: ClosedRange<Int>) throws(InferenceError) {
        guard range.contains(node.inputs.count) else {
            throw unsupported("has \(node.inputs.count) inputs, expected \(range.lowerBound)...\(range.upperBound)")
        }
    }
}

/// Input readers the kernels share.
enum KernelInput {
    /// Input `index` as a tensor; throws naming `op` when it is missing.
    static func tensor(_ inputs: [ONNXValue?], _ index: Int, _ op: String) throws(InferenceError) -> Tensor {
        guard index < inputs.count, let value = inputs[index] else {
            throw .unsupported("\(op) is missing input \(index)")
        }
        return try value.tensor(for: op)
    }

    /// Optional input `index` as a tensor.
    static func optional(_ inputs: [ONNXValue?], _ index: Int, _ op: String) throws(InferenceError) -> Tensor? {
        guard index < inputs.count, let value = inputs[index] else { return nil }
        return try value.tensor(for: op)
    }

    /// Normalises a possibly negative axis for a tensor of `rank` dimensions.
    static func axis(_ axis: Int64, rank: Int, _ op: String) throws(InferenceError) -> Int {
        let a = axis < 0 ? Int(axis) + rank : Int(axis)
        guard a >= 0, a < rank else { throw .badInput("\(op): axis \(axis) out of range for rank \(rank)") }
        return a
    }
}
