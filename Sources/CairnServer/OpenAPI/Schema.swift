import CairnCore

/// A JSON Schema in the subset OpenAPI 3.0 uses, built with small constructors and written with
/// ``JSONWriter``.
///
/// ```swift
/// let tag: Schema = .object(.required("key", .string), .optional("value", .string))
/// let tags: Schema = .array(of: tag)
/// ```
struct Schema: Sendable {
    /// The JSON type (`string`, `integer`, `number`, `boolean`, `array`, `object`), or nil for a reference or a union.
    var type: String?
    /// The format hint (`int64`, `int32`, `double`, `binary`).
    var format: String?
    /// A component name this schema refers to (`Run` for `#/components/schemas/Run`).
    var ref: String?
    /// The allowed values of a string.
    var allowed: [String] = []
    /// The properties of an object, in document order.
    var properties: [Field] = []
    /// The element schema of an array (zero or one element).
    var items: [Schema] = []
    /// The alternatives of a union.
    var anyOf: [Schema] = []
    /// The shortest allowed string.
    var minLength: Int?
    /// The smallest allowed integer.
    var minimum: Int64?

    /// A string.
    static let string = Schema(type: "string")
    /// A non-empty string (path segments).
    static let nonEmptyString = Schema(type: "string", minLength: 1)
    /// A 64-bit integer (timestamps, steps).
    static let int64 = Schema(type: "integer", format: "int64")
    /// A page size: a positive 32-bit integer.
    static let count = Schema(type: "integer", format: "int32", minimum: 1)
    /// A boolean.
    static let bool = Schema(type: "boolean")
    /// Raw bytes (artifact files).
    static let binary = Schema(type: "string", format: "binary")
    /// A double as MLflow writes it: a number, or NaN and the infinities as strings.
    static let double = Schema(anyOf: [
        Schema(type: "number", format: "double"), .oneOf(["NaN", "Infinity", "-Infinity"]),
    ])
    /// An object with no declared fields (an empty reply).
    static let empty = Schema(type: "object")

    /// A string that is one of `values`.
    static func oneOf(_ values: [String]) -> Schema { Schema(type: "string", allowed: values) }

    /// An array of `element`.
    static func array(of element: Schema) -> Schema { Schema(type: "array", items: [element]) }

    /// An object with `fields`.
    static func object(_ fields: Field...) -> Schema { Schema(type: "object", properties: fields) }

    /// A reference to the component schema `name`.
    static func ref(_ name: String) -> Schema { Schema(ref: name) }

    /// Writes the schema as JSON.
    func write(to w: inout JSONWriter) {
        w.object { w in
            if let ref {
                w.field("$ref", "#/components/schemas/" + ref)
                return
            }
            if let type { w.field("type", type) }
            if let format { w.field("format", format) }
            if let minLength { w.field("minLength", Int64(minLength)) }
            if let minimum { w.field("minimum", minimum) }
            if !allowed.isEmpty {
                w.key("enum")
                w.array { w in for value in allowed { w.value(value) } }
            }
            if let element = items.first {
                w.key("items")
                element.write(to: &w)
            }
            if !anyOf.isEmpty {
                w.key("anyOf")
                w.array { w in for option in anyOf { option.write(to: &w) } }
            }
            if type == "object" {
                w.key("properties")
                w.object { w in
                    for field in properties {
                        w.key(field.name)
                        field.schema.write(to: &w)
                    }
                }
                let required = properties.filter(\.required).map(\.name)
                if !required.isEmpty {
                    w.key("required")
                    w.array { w in for name in required { w.value(name) } }
                }
            }
        }
    }
}

/// A named field of an object schema or of an endpoint's request.
struct Field: Sendable {
    /// The JSON key or query parameter name.
    var name: String
    /// The field's value schema.
    var schema: Schema
    /// Whether a request without the field is refused.
    var required: Bool

    /// A field the endpoint refuses to go without.
    static func required(_ name: String, _ schema: Schema) -> Field {
        Field(name: name, schema: schema, required: true)
    }

    /// A required identifier or name: a non-empty string (the handlers read an empty one as missing).
    static func id(_ name: String) -> Field {
        Field(name: name, schema: .nonEmptyString, required: true)
    }

    /// A field that may be left out.
    static func optional(_ name: String, _ schema: Schema) -> Field {
        Field(name: name, schema: schema, required: false)
    }
}
