/// A graph compiled for evaluation: every value name becomes a slot, constants are placed once,
/// and nodes run in their stored (topological) order.
struct ONNXProgram: Sendable {
    /// One node: its kernel and the slots it reads and writes (-1 for an omitted optional input).
    struct Step: Sendable {
        let kernel: any ONNXKernel
        let inputs: [Int]
        let outputs: [Int]
        let name: String
    }

    /// Highest `ai.onnx` opset the interpreter implements.
    static let maxDefaultOpset = 23
    /// Highest `ai.onnx.ml` opset the interpreter implements.
    static let maxMLOpset = 5

    let slotCount: Int
    let constants: [(Int, ONNXValue)]
    let inputSlots: [Int]
    let outputSlots: [Int]
    let steps: [Step]
    /// True when every node is row-wise, so batches may be split across cores.
    let isRowWise: Bool

    /// Compiles `graph`; `inputNames` are the graph inputs fed at run time, in order.
    init(graph: ONNXGraphProto, opsets: [String: Int], inputNames: [String]) throws(InferenceError) {
        var slots: [String: Int] = [:]
        func slot(_ name: String) -> Int {
            if let s = slots[name] { return s }
            slots[name] = slots.count
            return slots.count - 1
        }
        var constantValues: [String: Tensor] = [:]
        var constants: [(Int, ONNXValue)] = []
        for (name, tensor) in graph.initializers where !inputNames.contains(name) {
            constantValues[name] = tensor
            constants.append((slot(name), .tensor(tensor)))
        }
        inputSlots = inputNames.map { slot($0) }
        var known = Set(inputNames).union(constantValues.keys)
        var steps: [Step] = []
        for node in graph.nodes {
            let domain = node.domain
            guard let version = opsets[domain] else {
                throw .unsupported(
                    "ONNX operator \(node.qualifiedName) uses domain '\(domain)' the model does not import")
            }
            let limit = domain == "" ? Self.maxDefaultOpset : domain == "ai.onnx.ml" ? Self.maxMLOpset : 0
            guard limit > 0 else {
                throw .unsupported("ONNX domain '\(domain)' (operator \(node.opType)) is not supported")
            }
            guard version <= limit else {
                throw .unsupported(
                    "ONNX opset \(version) of domain '\(domain.isEmpty ? "ai.onnx" : domain)' is newer than the supported \(limit)"
                )
            }
            for input in node.inputs where !input.isEmpty && !known.contains(input) {
                throw .unsupported(
                    "ONNX node '\(node.name)' (\(node.opType)) reads '\(input)' before any node writes it")
            }
            var nodeConstants: [Int: Tensor] = [:]
            for (i, input) in node.inputs.enumerated() { if let c = constantValues[input] { nodeConstants[i] = c } }
            let context = ONNXNodeContext(node: node, opset: version, constants: nodeConstants)
            if node.opType == "Constant" && domain == "" {
                let value = try ConstantKernel.value(context)
                for output in node.outputs.prefix(1) {
                    constantValues[output] = value
                    constants.append((slot(output), .tensor(value)))
                    known.insert(output)
                }
                continue
            }
            let kernel = try ONNXOperators.kernel(for: context)
            steps.append(
                Step(
                    kernel: kernel, inputs: node.inputs.map { $0.isEmpty ? -1 : slot($0) },
                    outputs: node.outputs.map { $0.isEmpty ? -1 : slot($0) }, name: node.name))
            known.formUnion(node.outputs)
        }
        for output in graph.outputs where !known.contains(output.name) {
            throw .unsupported("ONNX graph output '\(output.name)' is never computed")
        }
        outputSlots = graph.outputs.map { slot($0.name) }
        slotCount = slots.count
        self.constants = constants
        self.steps = steps
        isRowWise = steps.allSatisfy { $0.kernel.isRowWise }
    }

    /// Runs the graph on `inputs` (aligned with the input names given at compile time) and returns
    /// the graph outputs in order.
    func run(_ inputs: [Tensor]) throws(InferenceError) -> [ONNXValue] {
        var values = [ONNXValue?](repeating: nil, count: slotCount)
        for (s, v) in constants { values[s] = v }
        for (s, t) in zip(inputSlots, inputs) { values[s] = .tensor(t) }
        var args: [ONNXValue?] = []
        args.reserveCapacity(8)
        for step in steps {
            args.removeAll(keepingCapacity: true)
            for s in step.inputs { args.append(s < 0 ? nil : values[s]) }
            let results = try step.kernel.run(args)
            for (s, r) in zip(step.outputs, results) where s >= 0 { values[s] = r }
        }
        var outputs: [ONNXValue] = []
        for s in outputSlots {
            guard let v = values[s] else { throw .unsupported("ONNX graph output was not produced") }
            outputs.append(v)
        }
        return outputs
    }
}
