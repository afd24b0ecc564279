import CairnCore

/// Reads MLflow scoring-server bodies (`POST /invocations`) into a ``ScoringRequest``.
///
/// JSON bodies hold exactly one of `dataframe_split`, `dataframe_records`, `instances` or `inputs`,
/// and optionally `params`; CSV bodies are a header line and rows.
///
/// ```swift
/// let request = try ScoringRequestParser.parse(body: bytes, contentType: "application/json",
///                                              columnOrder: signature?.columnNames)
/// ```
public enum ScoringRequestParser {
    /// The JSON input fields, in MLflow's order.
    public static let formats = ["dataframe_split", "dataframe_records", "instances", "inputs"]

    static let requiredFormat =
        "The input must be a JSON dictionary with exactly one of the input fields "
        + "{'dataframe_split', 'dataframe_records', 'instances', 'inputs'}"

    /// Parses a body sent with `contentType`. `columnOrder` (the signature's columns) orders the
    /// columns of inputs given as JSON objects, whose key order JSON does not keep.
    public static func parse(body: [UInt8], contentType: String?, columnOrder: [String]? = nil) throws(ScoringError)
        -> ScoringRequest
    {
        let media = MediaType(contentType)
        if let charset = media.parameters["charset"], charset.lowercased() != "utf-8" {
            throw .unsupportedMediaType("The scoring server only supports UTF-8")
        }
        let unexpected = media.parameters.keys.filter { $0 != "charset" }.sorted()
        if !unexpected.isEmpty {
            throw .unsupportedMediaType(
                "Unrecognized content type parameters: \(unexpected.joined(separator: ", ")). \(protocolChangeInfo)")
        }
        switch media.type {
        case "application/json":
            return try parseJSON(body, columnOrder: columnOrder)
        case "text/csv":
            do {
                return ScoringRequest(input: .frame(try CSVFrameReader.read(body)))
            } catch {
                throw .badRequest("Failed to parse input as a CSV table: \(error.message)")
            }
        default:
            throw .unsupportedMediaType(
                "This predictor only supports the following content types: Types: ['text/csv', "
                    + "'application/json']. Got '\(contentType ?? "")'.")
        }
    }

    static let protocolChangeInfo =
        "IMPORTANT: The MLflow Model scoring protocol has changed in MLflow version 2.0. If you are seeing this "
        + "error, you are likely using an outdated scoring request format. To resolve the error, either update "
        + "your request format or adjust your MLflow Model's requirements file to specify an older version of "
        + "MLflow (for example, change the 'mlflow' requirement specifier to 'mlflow==1.30.0')."

    /// Parses a JSON document (already known to be JSON).
    public static func parseJSON(_ body: [UInt8], columnOrder: [String]? = nil) throws(ScoringError)
        -> ScoringRequest
    {
        let document: JSONValue
        do {
            document = try JSONParser.parse(body)
        } catch {
            throw .badRequest("Ensure that input is a valid JSON formatted string. Error: '\(error)'")
        }
        guard case .object(let fields) = document else {
            if case .array = document { throw .badRequest("\(requiredFormat). Received a list.") }
            throw .badRequest("\(requiredFormat). Received unexpected input type.")
        }
        let present = formats.filter { fields[$0] != nil }
        guard present.count == 1, let format = present.first, let payload = fields[format] else {
            let keys = fields.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
            throw .badRequest(
                "\(requiredFormat). Received dictionary with input fields: [\(keys)]. \(protocolChangeInfo)")
        }
        var params: JSONValue? = nil
        if let p = fields["params"], p != .null {
            guard case .object = p else { throw .badRequest("Invalid params: 'params' must be a JSON object.") }
            params = p
        }
        let input: ModelInput
        switch format {
        case "dataframe_split": input = .frame(try split(payload))
        case "dataframe_records": input = .frame(try records(payload, columnOrder: columnOrder))
        default: input = try tensorOrTable(format: format, payload, columnOrder: columnOrder)
        }
        return ScoringRequest(input: input, params: params)
    }

    static func split(_ payload: JSONValue) throws(ScoringError) -> InputFrame {
        guard case .object(let o) = payload else {
            throw .badRequest("Invalid input. 'dataframe_split' must be an object with 'columns' and 'data'.")
        }
        guard let data = o["data"]?.arrayValue else {
            throw .badRequest("Invalid input. 'dataframe_split' must have a 'data' list of rows.")
        }
        var rows: [[JSONValue]] = []
        rows.reserveCapacity(data.count)
        for item in data {
            if case .array(let r) = item { rows.append(r) } else { rows.append([item]) }
        }
        let width = rows.first?.count ?? 0
        let columns: [String]
        if let given = o["columns"] {
            guard let list = given.arrayValue else {
                throw .badRequest("Invalid input. 'dataframe_split.columns' must be a list.")
            }
            columns = list.map { $0.text ?? $0.rendered }
        } else {
            columns = (0..<width).map(String.init)
        }
        for (i, row) in rows.enumerated() where row.count != columns.count {
            throw .badRequest(
                "Invalid input. Row \(i) of 'dataframe_split.data' has \(row.count) values but there are "
                    + "\(columns.count) columns.")
        }
        return InputFrame(columns: columns, rows: rows)
    }

    static func records(_ payload: JSONValue, columnOrder: [String]?) throws(ScoringError) -> InputFrame {
        guard case .array(let items) = payload else {
            let kind = payload.objectValue != nil ? "dictionary" : "type \(payload.rendered)"
            throw .badRequest("Dataframe records format must be a list of records. Got \(kind).")
        }
        var objects: [[String: JSONValue]] = []
        objects.reserveCapacity(items.count)
        for item in items {
            guard case .object(let o) = item else {
                throw .badRequest("Invalid input. 'dataframe_records' must be a list of objects.")
            }
            objects.append(o)
        }
        let columns = orderedColumns(Set(objects.flatMap(\.keys)), preferred: columnOrder)
        return InputFrame(columns: columns, rows: objects.map { o in columns.map { o[$0] ?? .null } })
    }

    /// `instances` / `inputs`: a list of objects or an object of equal-length columns is a table;
    /// anything else is a tensor document handed to the model as is.
    static func tensorOrTable(format: String, _ payload: JSONValue, columnOrder: [String]?) throws(ScoringError)
        -> ModelInput
    {
        switch payload {
        case .array(let items) where !items.isEmpty && items.allSatisfy({ $0.objectValue != nil }):
            let objects = items.compactMap(\.objectValue)
            let scalar = objects.allSatisfy { $0.values.allSatisfy(\.isScalar) }
            guard scalar else { return .tensor(format: format, value: payload) }
            return .frame(try records(payload, columnOrder: columnOrder))
        case .object(let columnsByName):
            let lists = columnsByName.mapValues(\.arrayValue)
            guard lists.values.allSatisfy({ $0 != nil }),
                let count = lists.values.first??.count,
                lists.values.allSatisfy({ $0!.count == count && $0!.allSatisfy(\.isScalar) })
            else { return .tensor(format: format, value: payload) }
            let columns = orderedColumns(Set(columnsByName.keys), preferred: columnOrder)
            let rows = (0..<count).map { i in columns.map { lists[$0]!![i] } }
            return .frame(InputFrame(columns: columns, rows: rows))
        default:
            return .tensor(format: format, value: payload)
        }
    }

    /// The signature's columns first (in its order), the rest by name.
    static func orderedColumns(_ names: Set<String>, preferred: [String]?) -> [String] {
        let first = (preferred ?? []).filter(names.contains)
        return first + names.subtracting(first).sorted()
    }
}

extension JSONValue {
    var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }
}

/// A media type and its parameters (`application/json; charset=utf-8`).
public struct MediaType: Sendable, Equatable {
    /// Lower-cased `type/subtype`, empty when absent.
    public var type: String
    /// Parameters by lower-cased name.
    public var parameters: [String: String]

    public init(_ header: String?) {
        let parts = (header ?? "").split(separator: ";").map { $0.trimmingWhitespace() }
        type = parts.first.map { $0.lowercased() } ?? ""
        var params: [String: String] = [:]
        for p in parts.dropFirst() {
            let kv = p.split(separator: "=", maxSplits: 1).map { $0.trimmingWhitespace() }
            if kv.count == 2 { params[kv[0].lowercased()] = kv[1].trimmingCharacters(in: "\"") }
        }
        parameters = params
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }

    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}
