import Yams

/// A YAML value with ordered mappings, so manifests come out in the order Kubernetes users expect and byte-identical
/// from run to run.
///
/// ```swift
/// let doc: YAMLValue = .map([("apiVersion", "v1"), ("kind", "Service"), ("spec", .map([("port", 80)]))])
/// try YAMLValue.render([doc])   // "apiVersion: v1\nkind: Service\nspec:\n  port: 80\n"
/// ```
public indirect enum YAMLValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral
{
    /// A string (quoted when it would otherwise read back as another type).
    case string(String)
    /// An integer.
    case int(Int)
    /// A floating-point number.
    case double(Double)
    /// A boolean.
    case bool(Bool)
    /// A sequence.
    case list([YAMLValue])
    /// A mapping in the given key order.
    case map([(String, YAMLValue)])

    /// Creates a string.
    public init(stringLiteral value: String) { self = .string(value) }
    /// Creates an integer.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// Creates a boolean.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// Creates a sequence.
    public init(arrayLiteral elements: YAMLValue...) { self = .list(elements) }

    /// Equality, key order included.
    public static func == (a: YAMLValue, b: YAMLValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): x == y
        case (.int(let x), .int(let y)): x == y
        case (.double(let x), .double(let y)): x == y
        case (.bool(let x), .bool(let y)): x == y
        case (.list(let x), .list(let y)): x == y
        case (.map(let x), .map(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// The value for `key` in a mapping.
    public subscript(key: String) -> YAMLValue? {
        if case .map(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    /// The Yams node.
    var node: Node {
        switch self {
        case .string(let s): Node.scalar(.init(s, Tag(.str), Self.needsQuotes(s) ? .doubleQuoted : .plain))
        case .int(let i): Node.scalar(.init(String(i), Tag(.int), .plain))
        case .double(let d): Node.scalar(.init(String(d), Tag(.float), .plain))
        case .bool(let b): Node.scalar(.init(b ? "true" : "false", Tag(.bool), .plain))
        case .list(let items): Node.sequence(.init(items.map(\.node), Tag(.seq), .block))
        case .map(let pairs):
            Node.mapping(
                .init(
                    pairs.map {
                        (
                            Node.scalar(.init($0.0, Tag(.str), Self.needsQuotes($0.0) ? .doubleQuoted : .plain)),
                            $0.1.node
                        )
                    }, Tag(.map), .block))
        }
    }

    /// Whether a plain scalar would read back as something other than this string.
    static func needsQuotes(_ s: String) -> Bool {
        guard let first = s.first else { return true }
        if Int(s) != nil || Double(s) != nil { return true }
        let words: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"]
        if words.contains(s.lowercased()) { return true }
        if "-?:,[]{}#&*!|>'\"%@` ".contains(first) || s.hasSuffix(" ") || s.hasSuffix(":") { return true }
        if s.contains(": ") || s.contains(" #") || s.contains("\n") || s.contains("\t") { return true }
        if s.hasPrefix("0x") || s.hasPrefix("0o") || s.hasPrefix(".") { return true }
        return false
    }

    /// The documents as one YAML stream, `---` between documents.
    public static func render(_ documents: [YAMLValue]) throws -> String {
        try documents.map { try Yams.serialize(node: $0.node, indent: 2, width: -1) }.joined(separator: "---\n")
    }
}
