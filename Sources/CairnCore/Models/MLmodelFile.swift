import Foundation

/// The parts of an MLflow `MLmodel` file Cairn reads: flavors with their settings, the signature
/// (its columns for display, its JSON for serving) and where the input example is saved.
///
/// `MLmodel` is YAML written by PyYAML in block style: top-level keys, two-space nested mappings and
/// single-quoted strings (the signature's JSON) that may wrap over several lines. Only that shape is
/// read; anything else is left out rather than guessed.
public struct MLmodelFile: Sendable {
    /// One column of a signature.
    public struct Column: Sendable, Equatable {
        public var name: String
        public var type: String
        public var required: Bool
    }

    /// Flavor name → its scalar settings, in file order (nested mappings such as `env` are left out).
    public var flavors: [(name: String, settings: [(String, String)])] = []
    /// Top-level scalars (`mlflow_version`, `model_uuid`, …).
    public var fields: [String: String] = [:]
    /// The signature's input columns, for display.
    public var inputs: [Column]?
    /// The signature's output columns, for display.
    public var outputs: [Column]?
    /// The signature's input schema as parsed JSON (nil when the model has no signature).
    public var inputsJSON: JSONValue?
    /// The signature's output schema as parsed JSON.
    public var outputsJSON: JSONValue?
    /// The input example's file, relative to the model folder.
    public var inputExamplePath: String?

    /// The settings of `flavor` as a dictionary (`data`, `model_class`, …), nil when the model has no such flavor.
    public func settings(of flavor: String) -> [String: String]? {
        guard let entry = flavors.first(where: { $0.name == flavor }) else { return nil }
        return Dictionary(entry.settings, uniquingKeysWith: { first, _ in first })
    }

    /// Reads the file's text.
    public init(text: String) {
        var section = ""
        var flavor: String?
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[...]
        while let line = lines.popFirst() {
            let indent = line.prefix { $0 == " " }.count
            let content = line.dropFirst(indent)
            guard !content.isEmpty, !content.hasPrefix("#"), let colon = content.firstIndex(of: ":") else { continue }
            let key = String(content[..<colon])
            var value = content[content.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("'") { value = Self.singleQuoted(value, continuation: &lines) }
            switch indent {
            case 0:
                section = key
                flavor = nil
                if !value.isEmpty { fields[key] = value }
            case 2 where section == "flavors":
                flavors.append((key, []))
                flavor = key
            case 4 where section == "flavors" && flavor != nil:
                flavors[flavors.count - 1].settings.append((key, value))
            case 2 where section == "signature" && key == "inputs":
                inputs = Self.columns(value)
                inputsJSON = try? JSONParser.parse(value)
            case 2 where section == "signature" && key == "outputs":
                outputs = Self.columns(value)
                outputsJSON = try? JSONParser.parse(value)
            case 2 where section == "saved_input_example_info" && key == "artifact_path":
                inputExamplePath = value
            default:
                continue
            }
        }
    }

    /// A single-quoted YAML scalar, following it onto the next lines until its closing quote; line
    /// breaks fold to spaces and `''` is a quote.
    static func singleQuoted(_ first: String, continuation lines: inout ArraySlice<String>) -> String {
        var text = String(first.dropFirst())
        while !closes(text), let next = lines.popFirst() {
            text += " " + next.trimmingCharacters(in: .whitespaces)
        }
        if closes(text) { text.removeLast() }
        return text.replacingOccurrences(of: "''", with: "'")
    }

    /// Whether the scalar's text ends with an unpaired quote.
    private static func closes(_ text: String) -> Bool {
        let quotes = text.reversed().prefix { $0 == "'" }.count
        return quotes % 2 == 1
    }

    /// The columns of a signature's JSON list; nil when it is not such a list.
    static func columns(_ json: String) -> [Column]? {
        guard let list = (try? JSONParser.parse(json))?.arrayValue else { return nil }
        return list.compactMap { item in
            guard let fields = item.objectValue else { return nil }
            var type = fields["type"]?.stringValue ?? "?"
            if type == "tensor", let spec = fields["tensor-spec"]?.objectValue {
                let shape = (spec["shape"]?.arrayValue ?? []).map { v -> String in
                    if case .int(let n) = v { return String(n) }
                    return "?"
                }
                type = "tensor \(spec["dtype"]?.stringValue ?? "") (\(shape.joined(separator: ", ")))"
            }
            var required = true
            if case .bool(let b)? = fields["required"] { required = b }
            return Column(name: fields["name"]?.stringValue ?? "", type: type, required: required)
        }
    }
}
