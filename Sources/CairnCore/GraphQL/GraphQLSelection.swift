/// One field of a GraphQL selection set: its name, the key it is answered under (its alias, if
/// any) and the fields selected inside it.
///
/// Only what a fixed-operation server needs is understood: operations, aliases, nested selection
/// sets; arguments and directives are skipped (root arguments are taken from the variables) and
/// fragments are refused.
///
/// ```swift
/// let fields = try GraphQLSelection.parse("query Q($i: In!) { mlflowGetRun(input: $i) { run { info { runUuid } } } }")
/// fields[0].name   // "mlflowGetRun"
/// ```
public struct GraphQLSelection: Sendable, Equatable {
    /// The field name, e.g. `runUuid` or `__typename`.
    public var name: String
    /// The name the field is answered under: its alias, else its name.
    public var responseKey: String
    /// The fields selected inside this one; empty for a leaf.
    public var children: [GraphQLSelection]

    /// Creates a selection.
    public init(name: String, responseKey: String? = nil, children: [GraphQLSelection] = []) {
        self.name = name
        self.responseKey = responseKey ?? name
        self.children = children
    }

    /// The root fields of the operation named `operationName` (or of the only operation).
    public static func parse(_ document: String, operationName: String? = nil) throws(MlflowError) -> [GraphQLSelection]
    {
        var parser = Parser(Array(document.unicodeScalars))
        return try parser.document(operationName: operationName)
    }

    private struct Parser {
        let text: [Unicode.Scalar]
        var i = 0

        init(_ text: [Unicode.Scalar]) { self.text = text }

        static let invalid = MlflowError(.badRequest, "Syntax error in the GraphQL query.")

        mutating func document(operationName: String?) throws(MlflowError) -> [GraphQLSelection] {
            var operations: [(String?, [GraphQLSelection])] = []
            skipIgnored()
            while i < text.count {
                var name: String?
                if text[i] != "{" {
                    let keyword = self.name()
                    guard keyword == "query" || keyword == "mutation" else {
                        throw MlflowError(.badRequest, "Only query operations are supported.")
                    }
                    skipIgnored()
                    if i < text.count, isNameStart(text[i]) { name = self.name() }
                    try skipUntilSelectionSet()
                }
                operations.append((name, try selectionSet()))
                skipIgnored()
            }
            if let operationName {
                guard let found = operations.first(where: { $0.0 == operationName }) else {
                    throw MlflowError(.badRequest, "Unknown operation named '\(operationName)'.")
                }
                return found.1
            }
            guard operations.count == 1 else {
                throw MlflowError(.badRequest, "Must provide operation name if query contains multiple operations.")
            }
            return operations[0].1
        }

        /// Skips variable definitions and directives up to the opening brace.
        mutating func skipUntilSelectionSet() throws(MlflowError) {
            while i < text.count, text[i] != "{" {
                if text[i] == "(" { try skipBalanced() } else if text[i] == "\"" { try skipString() } else { i += 1 }
            }
            guard i < text.count else { throw Self.invalid }
        }

        mutating func selectionSet() throws(MlflowError) -> [GraphQLSelection] {
            guard i < text.count, text[i] == "{" else { throw Self.invalid }
            i += 1
            var fields: [GraphQLSelection] = []
            while true {
                skipIgnored()
                guard i < text.count else { throw Self.invalid }
                if text[i] == "}" {
                    i += 1
                    return fields
                }
                if text[i] == "." { throw MlflowError(.badRequest, "GraphQL fragments are not supported.") }
                guard isNameStart(text[i]) else { throw Self.invalid }
                var key = name()
                var fieldName = key
                skipIgnored()
                if i < text.count, text[i] == ":" {
                    i += 1
                    skipIgnored()
                    guard i < text.count, isNameStart(text[i]) else { throw Self.invalid }
                    fieldName = name()
                    skipIgnored()
                } else {
                    key = fieldName
                }
                if i < text.count, text[i] == "(" {
                    try skipBalanced()
                    skipIgnored()
                }
                while i < text.count, text[i] == "@" {
                    i += 1
                    _ = name()
                    skipIgnored()
                    if i < text.count, text[i] == "(" { try skipBalanced() }
                    skipIgnored()
                }
                var children: [GraphQLSelection] = []
                if i < text.count, text[i] == "{" { children = try selectionSet() }
                fields.append(GraphQLSelection(name: fieldName, responseKey: key, children: children))
            }
        }

        mutating func skipBalanced() throws(MlflowError) {
            var depth = 0
            while i < text.count {
                switch text[i] {
                case "(", "[", "{": depth += 1
                case ")", "]", "}": depth -= 1
                case "\"":
                    try skipString()
                    continue
                default: break
                }
                i += 1
                if depth == 0 { return }
            }
            throw Self.invalid
        }

        mutating func skipString() throws(MlflowError) {
            i += 1
            while i < text.count, text[i] != "\"" { i += text[i] == "\\" ? 2 : 1 }
            guard i < text.count else { throw Self.invalid }
            i += 1
        }

        mutating func skipIgnored() {
            while i < text.count {
                let c = text[i]
                if c == "#" {
                    while i < text.count, text[i] != "\n" { i += 1 }
                } else if c == " " || c == "\n" || c == "\r" || c == "\t" || c == "," || c == "\u{FEFF}" {
                    i += 1
                } else {
                    return
                }
            }
        }

        mutating func name() -> String {
            var out = String.UnicodeScalarView()
            while i < text.count, isNameStart(text[i]) || ("0"..."9").contains(text[i]) {
                out.append(text[i])
                i += 1
            }
            return String(out)
        }

        func isNameStart(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_"
        }
    }
}
