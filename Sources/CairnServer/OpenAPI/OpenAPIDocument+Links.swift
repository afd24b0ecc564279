import CairnCore
import Hummingbird

extension OpenAPIDocument {
    /// An OpenAPI link: how a value in one reply feeds a request of another operation, so that a
    /// client (or a fuzzer's stateful phase) can chain `runs/create` into `runs/get`.
    struct Link: Sendable {
        /// The target's operationId, also the link's name.
        var operationId: String
        /// Query or path parameters: `query.run_id` → `$response.body#/run/info/run_id`.
        var parameters: [(String, String)]
        /// JSON body fields, merged into the target's body.
        var body: [(String, String)]

        /// Writes the link as a named entry of a response's `links`.
        func write(to w: inout JSONWriter) {
            w.key(operationId)
            w.object { w in
                w.field("operationId", operationId)
                if !parameters.isEmpty {
                    w.key("parameters")
                    w.object { w in for (name, value) in parameters { w.field(name, value) } }
                }
                if !body.isEmpty {
                    w.key("requestBody")
                    w.object { w in for (name, value) in body { w.field(name, value) } }
                }
            }
        }
    }

    /// The links from an operation whose reply produces values (``EndpointSchema/produces``) to every
    /// other documented operation that takes one of them, as a path parameter, a query parameter or
    /// a body field.
    static func links(
        from schema: EndpointSchema, source: String,
        to targets: [(path: String, method: HTTPRequest.Method, route: String, schema: EndpointSchema)]
    ) -> [Link] {
        guard !schema.produces.isEmpty else { return [] }
        var out: [Link] = []
        for target in targets {
            let id = operationId(method: target.method, path: target.path)
            guard id != source else { continue }
            var link = Link(operationId: id, parameters: [], body: [])
            let pathNames = pathParameters(target.route)
            let inQuery = target.method == .get || target.schema.body == .binary
            for (field, pointer) in schema.produces {
                let expression = "$response.body#" + pointer
                if pathNames.contains(field) {
                    link.parameters.append(("path." + field, expression))
                } else if target.schema.fields.contains(where: { $0.name == field }) {
                    if inQuery {
                        link.parameters.append(("query." + field, expression))
                    } else {
                        link.body.append((field, expression))
                    }
                }
            }
            if !link.parameters.isEmpty || !link.body.isEmpty { out.append(link) }
        }
        return out
    }
}
