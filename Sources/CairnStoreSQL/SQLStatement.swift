/// SQL text with its bound parameters, built by interpolation.
///
/// Interpolated values become `?` placeholders with bound parameters; only constant SQL goes in
/// raw, through `\(sql:)`. Arrays become a parenthesised list for `IN`.
///
/// ```swift
/// var st: SQLStatement = "SELECT id FROM runs WHERE run_uuid = \(uuid)"
/// st += " AND lifecycle_stage IN \(["active", "deleted"])"
/// ```
public struct SQLStatement: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The text, with `?` for each parameter.
    public private(set) var text: String
    /// The parameters in order.
    public private(set) var arguments: [SQLValue]
    /// False when the text embeds variable-length lists, so drivers should not cache it.
    public private(set) var cacheable: Bool

    /// A statement with parameters given apart.
    public init(sql: String, arguments: [SQLValue] = []) {
        self.text = sql
        self.arguments = arguments
        self.cacheable = true
    }

    /// Constant SQL.
    public init(stringLiteral value: String) { self.init(sql: value) }

    /// SQL built by interpolation.
    public init(stringInterpolation: Interpolation) {
        self.text = stringInterpolation.text
        self.arguments = stringInterpolation.arguments
        self.cacheable = stringInterpolation.cacheable
    }

    /// The text, for messages.
    public var description: String { text }

    /// Appends another statement.
    public static func += (lhs: inout SQLStatement, rhs: SQLStatement) {
        lhs.text += rhs.text
        lhs.arguments += rhs.arguments
        lhs.cacheable = lhs.cacheable && rhs.cacheable
    }

    /// Concatenates two statements.
    public static func + (lhs: SQLStatement, rhs: SQLStatement) -> SQLStatement {
        var out = lhs
        out += rhs
        return out
    }

    /// The interpolation builder.
    public struct Interpolation: StringInterpolationProtocol {
        var text = ""
        var arguments: [SQLValue] = []
        var cacheable = true

        /// Reserves room.
        public init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + interpolationCount * 2)
        }

        /// Constant text.
        public mutating func appendLiteral(_ literal: String) { text += literal }

        /// A bound parameter.
        public mutating func appendInterpolation(_ value: some SQLBindable) {
            text += "?"
            arguments.append(value.sqlValue)
        }

        /// A parenthesised list of bound parameters; an empty list matches nothing.
        public mutating func appendInterpolation<T: SQLBindable>(_ values: [T]) {
            cacheable = false
            guard !values.isEmpty else {
                text += "(NULL)"
                return
            }
            text += "(" + String(repeating: "?, ", count: values.count - 1) + "?)"
            arguments.append(contentsOf: values.map(\.sqlValue))
        }

        /// A list of integers written into the text (no parameters), for lists too long to bind.
        public mutating func appendInterpolation(literalList values: [Int64]) {
            cacheable = false
            text += values.isEmpty ? "(NULL)" : "(" + values.map(String.init).joined(separator: ",") + ")"
        }

        /// Constant SQL, written as is. Never pass user input here.
        public mutating func appendInterpolation(sql: String) { text += sql }

        /// A nested statement.
        public mutating func appendInterpolation(_ statement: SQLStatement) {
            text += statement.text
            arguments += statement.arguments
            cacheable = cacheable && statement.cacheable
        }
    }
}

extension [SQLStatement] {
    /// Joins statements with a constant separator.
    public func joined(separator: String) -> SQLStatement {
        var out = SQLStatement(sql: "")
        for (i, part) in enumerated() {
            if i > 0 { out += SQLStatement(sql: separator) }
            out += part
        }
        return out
    }
}
