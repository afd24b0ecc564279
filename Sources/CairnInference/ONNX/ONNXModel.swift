import Dispatch
import Foundation
import Synchronization

/// An ONNX model (`mlflow.onnx` flavor) run by Cairn's own interpreter, with the semantics of
/// MLflow's ONNX pyfunc: a single graph input receives the whole table as one 2-D tensor (the
/// frame's `values`), several inputs receive the columns of the same names; float64 becomes
/// float32 where the graph declares float; the result is a frame with one column per graph output,
/// each output flattened.
///
/// ```swift
/// let model = try ONNXModel(bytes: onnxFileBytes)
/// let out = try model.predict(Table(columns: [("x0", .double([0.5])), ("x1", .double([1.5]))]))
/// ```
public struct ONNXModel: NativeModel {
    /// Always `onnx`.
    public var flavor: String { "onnx" }
    /// The graph's input names when it has several (each fed the column of that name), nil for one.
    public let inputNames: [String]?
    /// Columns the single input declares (0 when its width is symbolic), or the number of inputs.
    public let inputCount: Int
    /// Operator sets, node count, input and output names.
    public let details: [(String, String)]

    /// Graph inputs fed at run time (initializers excluded), in order.
    let inputs: [ONNXValueInfo]
    let outputNames: [String]
    let program: ONNXProgram

    /// Rows per core below which a batch runs on one core.
    static let minimumRowsPerChunk = 2048
    /// Rows the graph runs on at a time in large batches.
    static let blockRows = 1024

    /// Parses and compiles an ONNX file; throws ``InferenceError/unsupported(_:)`` naming an operator,
    /// domain, opset or construct outside the supported subset.
    public init(bytes: [UInt8]) throws(InferenceError) {
        let model = try ONNXModelProto(bytes: bytes)
        let initializerNames = Set(model.graph.initializers.map(\.0))
        inputs = model.graph.inputs.filter { !initializerNames.contains($0.name) }
        guard !inputs.isEmpty else { throw .unsupported("ONNX graph has no inputs") }
        for input in inputs {
            guard input.isTensor, ElementKind(onnxType: input.elementType) != nil else {
                throw .unsupported("ONNX input '\(input.name)' has unsupported type \(input.elementType)")
            }
        }
        guard !model.graph.outputs.isEmpty else { throw .unsupported("ONNX graph has no outputs") }
        outputNames = model.graph.outputs.map(\.name)
        program = try ONNXProgram(graph: model.graph, opsets: model.opsets, inputNames: inputs.map(\.name))
        if inputs.count == 1 {
            inputNames = nil
            inputCount = inputs[0].shape.flatMap { $0.count >= 2 ? $0.last ?? nil : nil } ?? 0
        } else {
            inputNames = inputs.map(\.name)
            inputCount = inputs.count
        }
        let opsetText = model.opsets.sorted { $0.key < $1.key }
            .map { "\($0.key.isEmpty ? "ai.onnx" : $0.key) \($0.value)" }.joined(separator: ", ")
        details = [
            ("opsets", opsetText), ("nodes", "\(model.graph.nodes.count)"),
            ("inputs", inputs.map(\.name).joined(separator: ", ")), ("outputs", outputNames.joined(separator: ", ")),
        ]
    }

    /// The frame MLflow's ONNX pyfunc returns for `table`: one column per graph output, flattened.
    public func predict(_ table: Table) throws(InferenceError) -> ModelOutput {
        let feeds = try ONNXFeeds.tensors(for: table, inputs: inputs)
        let rows = table.rowCount
        guard program.isRowWise, rows > Self.blockRows else {
            return try ONNXFeeds.frame(program.run(feeds), names: outputNames)
        }
        return try ONNXFeeds.frame(runInBlocks(feeds, rows: rows), names: outputNames)
    }

    /// Runs a row-wise graph on blocks of ``blockRows`` rows, so intermediate tensors stay in cache,
    /// on every core when the batch is large enough; the outputs are joined in row order.
    private func runInBlocks(_ feeds: [Tensor], rows: Int) throws(InferenceError) -> [ONNXValue] {
        let blocks = (rows + Self.blockRows - 1) / Self.blockRows
        let results = Mutex<[Result<[ONNXValue], InferenceError>?]>(Array(repeating: nil, count: blocks))
        let program = self.program
        let run: @Sendable (Int) -> Void = { b in
            let range = (b * Self.blockRows)..<Swift.min(rows, (b + 1) * Self.blockRows)
            let part = feeds.map { ONNXFeeds.rows($0, range) }
            let r: Result<[ONNXValue], InferenceError>
            do throws(InferenceError) { r = .success(try program.run(part)) } catch { r = .failure(error) }
            results.withLock { $0[b] = r }
        }
        if rows < 2 * Self.minimumRowsPerChunk || ProcessInfo.processInfo.activeProcessorCount < 2 {
            for b in 0..<blocks { run(b) }
        } else {
            // One block per iteration: idle cores take the next block, which balances the load when
            // another process holds a core.
            DispatchQueue.concurrentPerform(iterations: blocks, execute: run)
        }
        var parts: [[ONNXValue]] = []
        parts.reserveCapacity(blocks)
        for r in results.withLock({ $0 }) {
            switch r {
            case .success(let v)?: parts.append(v)
            case .failure(let e)?: throw e
            case nil: throw .unsupported("ONNX batch block did not run")
            }
        }
        return try ONNXFeeds.concatenate(parts)
    }
}
