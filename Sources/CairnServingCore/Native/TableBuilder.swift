import CairnCore
import CairnInference

/// Turns a request's input into the ``Table`` a native model takes.
///
/// Columns are typed by the signature (`string` → text, `long`/`integer` → int64, other numeric
/// types → double) or, without one, by their values; `null` becomes NaN in numeric columns. A
/// 2-D numeric `inputs`/`instances` list becomes positional columns named as the model's inputs.
public struct TableBuilder: Sendable {
    let types: [String: String]
    let modelInputs: [String]?
    let inputCount: Int

    /// A builder for a model with `signature`, whose file names `modelInputs` and takes `inputCount` features.
    public init(signature: ModelSignature, modelInputs: [String]?, inputCount: Int) {
        var types: [String: String] = [:]
        for c in signature.inputs { if let name = c.name { types[name] = c.type } }
        self.types = types
        self.modelInputs = modelInputs
        self.inputCount = inputCount
    }

    /// The table for a request's input; 400 when it is not a table or a value has the wrong kind.
    public func table(for input: ModelInput) throws(ScoringError) -> Table {
        switch input {
        case .frame(let frame):
            return try table(frame)
        case .tensor(_, let value):
            guard let rows = value.arrayValue, rows.allSatisfy({ $0.arrayValue != nil }) else {
                throw .badRequest(
                    "The native runtime takes a table: send dataframe_split, dataframe_records, CSV, or a 2-D list of numbers."
                )
            }
            let width = rows.first?.arrayValue?.count ?? inputCount
            let names = modelInputs.flatMap { $0.count == width ? $0 : nil } ?? (0..<width).map(String.init)
            return try table(InputFrame(columns: names, rows: rows.map { $0.arrayValue ?? [] }))
        }
    }

    private func table(_ frame: InputFrame) throws(ScoringError) -> Table {
        var columns: [(String, Table.Column)] = []
        columns.reserveCapacity(frame.columns.count)
        for (index, name) in frame.columns.enumerated() {
            columns.append((name, try column(index, named: name, of: frame)))
        }
        do {
            return try Table(columns: columns)
        } catch {
            throw .badRequest(error.description)
        }
    }

    private func column(_ index: Int, named name: String, of frame: InputFrame) throws(ScoringError) -> Table.Column {
        let kind = types[name].map(Kind.init(schemaType:)) ?? Kind(values: frame.rows.lazy.map { $0[index] })
        switch kind {
        case .string:
            var out: [String] = []
            out.reserveCapacity(frame.count)
            for row in frame.rows {
                switch row[index] {
                case .string(let s): out.append(s)
                case .int(let i): out.append(String(i))
                case .double(let d): out.append(String(d))
                case .bool(let b): out.append(b ? "True" : "False")
                default: throw .badRequest("Column '\(name)' must hold strings.")
                }
            }
            return .string(out)
        case .int64:
            var out: [Int64] = []
            out.reserveCapacity(frame.count)
            for row in frame.rows {
                switch row[index] {
                case .int(let i): out.append(i)
                case .bool(let b): out.append(b ? 1 : 0)
                case .double(let d) where d == d.rounded() && abs(d) < 9.2e18: out.append(Int64(d))
                default: throw .badRequest("Column '\(name)' must hold integers.")
                }
            }
            return .int64(out)
        case .double:
            var out: [Double] = []
            out.reserveCapacity(frame.count)
            for row in frame.rows {
                switch row[index] {
                case .double(let d): out.append(d)
                case .int(let i): out.append(Double(i))
                case .bool(let b): out.append(b ? 1 : 0)
                case .null: out.append(.nan)
                case .string(let s):
                    guard let d = Double(s) else {
                        throw .badRequest("Column '\(name)' must hold numbers, got '\(s)'.")
                    }
                    out.append(d)
                default: throw .badRequest("Column '\(name)' must hold numbers.")
                }
            }
            return .double(out)
        }
    }

    /// The element kind of a column.
    enum Kind {
        case double, int64, string

        init(schemaType: String) {
            switch schemaType {
            case "string": self = .string
            case "long", "integer": self = .int64
            default: self = .double
            }
        }

        /// Without a signature: text when any value is text, else numbers (as doubles, like pandas
        /// does for a column with missing values).
        init(values: some Sequence<JSONValue>) {
            self = values.contains { if case .string = $0 { true } else { false } } ? .string : .double
        }
    }
}
