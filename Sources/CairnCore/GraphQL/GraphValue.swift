/// A value a GraphQL query can select from: a typed object, a list or a leaf.
///
/// Answers are written by projecting a selection onto the value: only the selected fields are
/// written, each under its response key, `__typename` gives the object's type name, and a field
/// the object lacks is `null`.
public indirect enum GraphValue: Sendable {
    /// An object of the named GraphQL type.
    case object(typeName: String, fields: [String: GraphValue])
    /// A list.
    case list([GraphValue])
    /// A string leaf (GraphQL's `String`, and MLflow's int64 fields, which it sends as strings).
    case string(String)
    /// A float leaf; NaN and infinities are written as `null`, as the reference does.
    case number(Double)
    /// A boolean leaf.
    case bool(Bool)
    /// No value.
    case null

    /// An int64 field, written as a decimal string.
    public static func int64(_ value: Int64?) -> GraphValue { .string(String(value ?? 0)) }

    /// Writes the selected part of this value.
    public func write(selecting selections: [GraphQLSelection], to w: inout JSONWriter) {
        switch self {
        case .object(let typeName, let fields):
            w.object { w in
                for s in selections {
                    w.key(s.responseKey)
                    if s.name == "__typename" {
                        w.value(typeName)
                    } else {
                        (fields[s.name] ?? .null).write(selecting: s.children, to: &w)
                    }
                }
            }
        case .list(let items):
            w.array { w in
                for item in items { item.write(selecting: selections, to: &w) }
            }
        case .string(let s): w.value(s)
        case .number(let d):
            if d.isFinite { w.value(d) } else { w.raw("null") }
        case .bool(let b): w.value(b)
        case .null: w.raw("null")
        }
    }
}
