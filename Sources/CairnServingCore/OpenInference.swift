import CairnCore

/// The Open Inference Protocol v2 (KServe, MLServer, Triton) over REST: infer requests to frames,
/// predictions to output tensors.
public enum OpenInference {
    /// A parsed `POST /v2/models/{name}/infer` body.
    public struct InferRequest: Sendable, Equatable {
        public var id: String?
        public var frame: InputFrame
        public var params: JSONValue?
        /// Requested output names (empty: all).
        public var outputs: [String]
    }

    /// Datatypes of the protocol.
    public static let datatypes: Set<String> = [
        "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64",
        "BYTES",
    ]

    /// Reads an infer request. Each input tensor of shape `[N]` or `[N, 1]` is one column named
    /// after it; a single input of shape `[N, k]` is spread over the signature's `k` columns.
    public static func parseInfer(_ body: [UInt8], signatureColumns: [String]?) throws(ScoringError) -> InferRequest {
        let doc: JSONValue
        do { doc = try JSONParser.parse(body) } catch { throw .badRequest("Invalid JSON in infer request: \(error)") }
        guard case .object(let o) = doc else { throw .badRequest("The infer request must be a JSON object.") }
        guard let inputs = o["inputs"]?.arrayValue, !inputs.isEmpty else {
            throw .badRequest("The infer request needs a non-empty 'inputs' list.")
        }
        var columns: [String] = []
        var columnData: [[JSONValue]] = []
        var rows: Int? = nil
        for (i, input) in inputs.enumerated() {
            guard let name = input["name"]?.text, !name.isEmpty else { throw .badRequest("inputs[\(i)] has no name.") }
            guard let datatype = input["datatype"]?.text else { throw .badRequest("Input '\(name)' has no datatype.") }
            guard datatypes.contains(datatype) else {
                throw .badRequest("Input '\(name)' has an unknown datatype '\(datatype)'.")
            }
            guard let shapeValues = input["shape"]?.arrayValue, !shapeValues.isEmpty else {
                throw .badRequest("Input '\(name)' has no shape.")
            }
            var shape: [Int] = []
            for s in shapeValues {
                guard let n = s.int64, n >= 0, n <= 1 << 31 else {
                    throw .badRequest("Input '\(name)' has an invalid shape \(JSONValue.array(shapeValues).rendered).")
                }
                shape.append(Int(n))
            }
            guard let raw = input["data"] else { throw .badRequest("Input '\(name)' has no data.") }
            let flat = flatten(raw)
            let expected = shape.reduce(1, *)
            guard flat.count == expected else {
                throw .badRequest(
                    "Input '\(name)' has \(flat.count) values but its shape \(shape) holds \(expected).")
            }
            for v in flat where !fits(v, datatype) {
                throw .badRequest("Input '\(name)' holds \(v.rendered), which is not \(datatype).")
            }
            let n = shape[0]
            let width = shape.count == 1 ? 1 : shape.dropFirst().reduce(1, *)
            if let rows, rows != n {
                throw .badRequest("Inputs have different first dimensions (\(rows) and \(n)).")
            }
            rows = n
            if width == 1 {
                columns.append(name)
                columnData.append(flat)
            } else if inputs.count == 1, let names = signatureColumns, names.count == width {
                for (j, column) in names.enumerated() {
                    columns.append(column)
                    columnData.append(stride(from: j, to: flat.count, by: width).map { flat[$0] })
                }
            } else if inputs.count == 1 {
                for j in 0..<width {
                    columns.append(String(j))
                    columnData.append(stride(from: j, to: flat.count, by: width).map { flat[$0] })
                }
            } else {
                throw .badRequest(
                    "Input '\(name)' has shape \(shape); with several inputs each must be one column ([N] or [N, 1]).")
            }
        }
        let count = rows ?? 0
        let frameRows = (0..<count).map { r in columnData.map { $0[r] } }
        let outputs = (o["outputs"]?.arrayValue ?? []).compactMap { $0["name"]?.text }
        var params: JSONValue? = nil
        if let p = o["parameters"], case .object(let fields) = p, !fields.isEmpty { params = p }
        return InferRequest(
            id: o["id"]?.text, frame: InputFrame(columns: columns, rows: frameRows), params: params, outputs: outputs)
    }

    /// Writes the infer response for predictions of `rows` rows.
    public static func writeInferResponse(
        _ w: inout JSONWriter, model: String, version: String, id: String?, predictions: Predictions,
        requestedOutputs: [String]
    ) {
        let tensors = outputTensors(predictions)
        w.object { w in
            w.field("model_name", model)
            w.field("model_version", version)
            if let id { w.field("id", id) }
            w.key("parameters")
            w.object { _ in }
            w.key("outputs")
            w.array { w in
                for t in tensors where requestedOutputs.isEmpty || requestedOutputs.contains(t.name) {
                    w.object { w in
                        w.field("name", t.name)
                        w.key("shape")
                        w.array { w in for s in t.shape { w.value(Int64(s)) } }
                        w.field("datatype", t.datatype)
                        w.key("data")
                        w.array { w in for v in t.data { w.value(v) } }
                    }
                }
            }
        }
    }

    struct Tensor {
        var name: String
        var shape: [Int]
        var datatype: String
        var data: [JSONValue]
    }

    /// Predictions as output tensors: a list of scalars is one `[N]` tensor named `predict`; a list
    /// of equal-length lists is `[N, k]`; a list of records gives one tensor per field.
    static func outputTensors(_ predictions: Predictions) -> [Tensor] {
        switch predictions.value {
        case .array(let items) where items.allSatisfy(\.isScalar):
            return [Tensor(name: "predict", shape: [items.count], datatype: datatype(items), data: items)]
        case .array(let items) where items.allSatisfy({ $0.arrayValue != nil }):
            let width = items.first?.arrayValue?.count ?? 0
            if items.allSatisfy({ $0.arrayValue!.count == width }) {
                let flat = items.flatMap { $0.arrayValue! }
                return [Tensor(name: "predict", shape: [items.count, width], datatype: datatype(flat), data: flat)]
            }
        case .array(let items) where items.allSatisfy({ $0.objectValue != nil }):
            let keys = Set(items.flatMap { $0.objectValue!.keys }).sorted()
            return keys.map { key in
                let column = items.map { $0[key] ?? .null }
                return Tensor(name: key, shape: [items.count], datatype: datatype(column), data: column)
            }
        case .object(let fields):
            return fields.keys.sorted().map { key in
                let column = fields[key]!.arrayValue ?? [fields[key]!]
                return Tensor(name: key, shape: [column.count], datatype: datatype(column), data: column)
            }
        default:
            break
        }
        return [Tensor(name: "predict", shape: [1], datatype: "BYTES", data: [.string(predictions.value.rendered)])]
    }

    static func datatype(_ values: [JSONValue]) -> String {
        if values.allSatisfy({ if case .bool = $0 { true } else { false } }) { return "BOOL" }
        if values.allSatisfy({ if case .int = $0 { true } else { false } }) { return "INT64" }
        if values.allSatisfy({
            switch $0 {
            case .int, .double: true;
            default: false
            }
        }) {
            return "FP64"
        }
        return "BYTES"
    }

    static func flatten(_ v: JSONValue) -> [JSONValue] {
        guard case .array(let items) = v else { return [v] }
        return items.flatMap(flatten)
    }

    static func fits(_ v: JSONValue, _ datatype: String) -> Bool {
        switch (datatype, v) {
        case ("BOOL", .bool): true
        case ("BYTES", .string): true
        case ("FP16", .int), ("FP16", .double), ("FP32", .int), ("FP32", .double), ("FP64", .int), ("FP64", .double):
            true
        case (let t, .int(let i)) where t.hasPrefix("UINT"): i >= 0
        case (let t, .int) where t.hasPrefix("INT"): true
        default: false
        }
    }
}
