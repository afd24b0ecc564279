import Hummingbird

/// What the OpenAPI document says about one endpoint: its fields (query parameters for GET, a JSON
/// body otherwise) and its reply.
struct EndpointSchema: Sendable {
    /// How the request carries its fields.
    enum Body: Sendable {
        /// Query parameters for GET, a JSON object for the other methods.
        case fields
        /// The raw bytes of a file, with the fields as query parameters.
        case binary
    }

    /// A one-line description.
    var summary: String
    /// The request fields (path parameters come from the route pattern and are not listed).
    var fields: [Field] = []
    /// How the fields travel.
    var body: Body = .fields
    /// The status of a successful reply.
    var status: Int = 200
    /// The media type of a successful reply.
    var replyMedia = "application/json"
    /// The schema of a successful reply.
    var reply: Schema = .empty
    /// Values a successful reply hands to other endpoints: the field name they take it as, and the
    /// JSON pointer into the reply (`run_id` at `/run/info/run_id`). They become OpenAPI links.
    var produces: [(field: String, pointer: String)] = []

    /// An endpoint with JSON fields and a JSON reply.
    init(_ summary: String, _ fields: [Field] = [], reply: Schema = .empty) {
        self.summary = summary
        self.fields = fields
        self.reply = reply
    }

    /// An endpoint whose reply is not JSON, or whose request body is a file.
    init(_ summary: String, _ fields: [Field] = [], body: Body, status: Int = 200, replyMedia: String, reply: Schema) {
        self.summary = summary
        self.fields = fields
        self.body = body
        self.status = status
        self.replyMedia = replyMedia
        self.reply = reply
    }

    /// The same endpoint, its reply handing `field` (at JSON pointer `pointer`) to other endpoints.
    func producing(_ field: String, at pointer: String) -> EndpointSchema {
        var copy = self
        copy.produces.append((field, pointer))
        return copy
    }

    /// A reply holding one optional field, e.g. `{"run": {...}}`.
    static func reply(_ key: String, _ schema: Schema) -> Schema { .object(.optional(key, schema)) }

    /// A paged search reply: the items under `key` and `next_page_token`.
    static func page(_ key: String, _ item: String) -> Schema {
        .object(.optional(key, .array(of: .ref(item))), .optional("next_page_token", .string))
    }
}

/// A route table together with the schemas of its endpoints: one section of the OpenAPI document.
struct DocumentedRoutes: Sendable {
    /// The URL prefix of every path in the table, e.g. `/api/2.0/mlflow/`.
    var prefix: String
    /// The routes as the router registers them: a path (with `:name` parameters, and a final `*name` for
    /// a parameter spanning the rest of the path) and its methods.
    var routes: [(path: String, methods: [HTTPRequest.Method])]
    /// The schemas, keyed by ``key(_:_:)``.
    var schemas: [String: EndpointSchema]

    /// The table key of one route: `"POST runs/create"`.
    static func key(_ method: HTTPRequest.Method, _ path: String) -> String { method.rawValue + " " + path }

    /// Keys schema rows written in the route-table shape (path, methods, schema).
    static func keyed(_ rows: [(String, [HTTPRequest.Method], EndpointSchema)]) -> [String: EndpointSchema] {
        var out: [String: EndpointSchema] = [:]
        for (path, methods, schema) in rows {
            for method in methods { out[key(method, path)] = schema }
        }
        return out
    }

    /// The methods the routes matching `path` answer to (empty when none matches). A `:name` segment
    /// matches one segment; a final `*name` segment matches the rest of the path.
    func allowedMethods(path: String) -> [HTTPRequest.Method] {
        guard path.hasPrefix(prefix) else { return [] }
        let segments = path.dropFirst(prefix.count).split(separator: "/")
        var methods: [HTTPRequest.Method] = []
        for route in routes {
            let parts = route.path.split(separator: "/")
            let spans = parts.last?.hasPrefix("*") == true
            guard spans ? segments.count >= parts.count : segments.count == parts.count else { continue }
            if zip(parts, segments).allSatisfy({ $0.hasPrefix(":") || $0.hasPrefix("*") || $0 == $1 }) {
                methods += route.methods.filter { !methods.contains($0) }
            }
        }
        return methods
    }

    /// The routes with no schema and the schemas with no route (both empty when the document is complete).
    var drift: (undocumented: [String], unrouted: [String]) {
        let routed = Set(routes.flatMap { route in route.methods.map { Self.key($0, route.path) } })
        return (routed.subtracting(schemas.keys).sorted(), Set(schemas.keys).subtracting(routed).sorted())
    }
}
