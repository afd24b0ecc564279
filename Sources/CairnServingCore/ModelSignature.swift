import CairnCore

/// A model's input and output schema as MLflow records it (`MLmodel` → `signature`), read from the
/// JSON list form: `[{"name": "f1", "type": "double", "required": true}, …]`.
public struct ModelSignature: Sendable, Equatable {
    /// One named column of a column-based schema.
    public struct Column: Sendable, Equatable {
        public var name: String?
        /// MLflow's type name: double, float, long, integer, boolean, string, binary, datetime, …
        public var type: String
        public var required: Bool

        public init(name: String?, type: String, required: Bool) {
            self.name = name
            self.type = type
            self.required = required
        }
    }

    /// Input columns; empty for tensor-based or absent schemas.
    public var inputs: [Column]
    /// Output columns (may be unnamed).
    public var outputs: [Column]
    /// Whether the input schema is tensor-based (no column checks then).
    public var tensorInputs: Bool

    public init(inputs: [Column] = [], outputs: [Column] = [], tensorInputs: Bool = false) {
        self.inputs = inputs
        self.outputs = outputs
        self.tensorInputs = tensorInputs
    }

    /// Reads the JSON schema lists (`null` when the model has no signature).
    public init(inputs: JSONValue?, outputs: JSONValue?) {
        func columns(_ v: JSONValue?) -> [Column] {
            (v?.arrayValue ?? []).compactMap { c in
                guard let type = c["type"]?.text else { return nil }
                return Column(name: c["name"]?.text, type: type, required: c["required"] != .bool(false))
            }
        }
        let ins = columns(inputs)
        tensorInputs = ins.contains { $0.type == "tensor" }
        self.inputs = tensorInputs ? [] : ins
        self.outputs = columns(outputs)
    }

    /// Input columns the schema types as `double` (float64).
    public var doubleColumns: Set<String> {
        Set(inputs.filter { $0.type == "double" }.compactMap(\.name))
    }

    /// Named input columns in schema order, or nil when the schema names none.
    public var columnNames: [String]? {
        let names = inputs.compactMap(\.name)
        return names.isEmpty ? nil : names
    }

    /// Checks a frame's columns and value kinds against the input schema, naming every offending
    /// column. Values that are null are left to the model (MLflow decides on missing values).
    public func check(_ frame: InputFrame) throws(ScoringError) {
        guard let names = columnNames else { return }
        let present = Set(frame.columns)
        let missing = inputs.filter { c in c.required && c.name.map { !present.contains($0) } == true }
            .compactMap(\.name)
        if !missing.isEmpty {
            let extra = frame.columns.filter { !names.contains($0) }
            var message = "Model is missing inputs \(pythonList(missing))."
            if !extra.isEmpty { message += " Note that there were extra inputs: \(pythonList(extra))." }
            throw .badRequest("Failed to enforce schema of data with schema \(schemaText). Error: \(message)")
        }
        for column in inputs {
            guard let name = column.name, let index = frame.columns.firstIndex(of: name) else { continue }
            for (rowIndex, row) in frame.rows.enumerated() {
                let value = row[index]
                if value == .null || Self.accepts(column.type, value) { continue }
                throw .badRequest(
                    "Failed to enforce schema of data with schema \(schemaText). Error: Incompatible input types "
                        + "for column \(name). Can not safely convert \(Self.kind(value)) to \(column.type) "
                        + "(row \(rowIndex), value \(value.rendered)).")
            }
        }
    }

    /// The schema as MLflow prints it: `['f1': double (required), …]`.
    public var schemaText: String {
        "["
            + inputs.map { "'\($0.name ?? "")': \($0.type) (\($0.required ? "required" : "optional"))" }
            .joined(separator: ", ") + "]"
    }

    static func accepts(_ type: String, _ value: JSONValue) -> Bool {
        switch (type, value) {
        case ("double", .int), ("double", .double), ("float", .int), ("float", .double): true
        case ("double", .string(let s)), ("float", .string(let s)): ["NaN", "Infinity", "-Infinity"].contains(s)
        case ("long", .int), ("integer", .int): true
        case ("long", .double(let d)), ("integer", .double(let d)): d == d.rounded()
        case ("boolean", .bool): true
        case ("string", .string), ("binary", .string), ("datetime", .string): true
        case ("double", _), ("float", _), ("long", _), ("integer", _), ("boolean", _), ("string", _): false
        default: true
        }
    }

    static func kind(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "float"
        case .string: "string"
        case .array: "list"
        case .object: "object"
        }
    }
}

func pythonList(_ items: [String]) -> String {
    "[" + items.map { "'\($0)'" }.joined(separator: ", ") + "]"
}
