import CairnCore
import Hummingbird

/// The OpenAPI 3.0 document of Cairn's REST API, served at `/api/openapi.json`.
///
/// It is generated from the route tables, so a route cannot be served without being documented:
/// each ``DocumentedRoutes`` section pairs a table the router registers with the schemas of its
/// rows, and a test fails when the two disagree. Another table joins with one more section.
enum OpenAPIDocument {
    /// The documented sections: the MLflow REST endpoints, then the routes registered elsewhere.
    static let sections: [DocumentedRoutes] = [
        DocumentedRoutes(
            prefix: "/api/2.0/mlflow/", routes: APIRoutes.endpoints.map { (path: $0.0, methods: $0.1) },
            schemas: DocumentedRoutes.keyed(TrackingSchemas.rows + RegistrySchemas.rows)),
        DocumentedRoutes(
            prefix: "/api/2.0/mlflow/", routes: AuthRoutes.endpoints.map { (path: $0.0, methods: $0.1) },
            schemas: DocumentedRoutes.keyed(AuthSchemas.rows)),
        DocumentedRoutes(
            prefix: "/api/3.0/mlflow/", routes: AuthRoutes.endpointsV3.map { (path: $0.0, methods: $0.1) },
            schemas: DocumentedRoutes.keyed(AuthSchemas.rowsV3)),
        DocumentedRoutes(
            prefix: "/", routes: OtherRouteSchemas.rows.map { (path: $0.0, methods: $0.1) },
            schemas: DocumentedRoutes.keyed(OtherRouteSchemas.rows)),
    ]

    /// The document, written once per process.
    static let bytes: [UInt8] = render(sections)

    /// The path the document is served at.
    static let servedPath = "api/openapi.json"

    /// Writes the document for `sections`.
    static func render(_ sections: [DocumentedRoutes]) -> [UInt8] {
        var w = JSONWriter(capacity: 64 << 10)
        w.object { w in
            w.field("openapi", "3.0.3")
            w.key("info")
            w.object { w in
                w.field("title", "Cairn REST API")
                w.field("version", cairnVersion)
                w.field(
                    "description",
                    "MLflow's tracking, model registry and artifact REST API as Cairn serves it. Every path under "
                        + "/api/2.0/mlflow also answers under /ajax-api/2.0/mlflow. Errors are "
                        + "{\"error_code\", \"message\"} objects.")
            }
            w.key("paths")
            w.object { w in
                let all = grouped(sections)
                let targets = all.flatMap { path, operations in operations.map { (path, $0.0, $0.1, $0.2) } }
                for (path, operations) in all {
                    w.key(path)
                    w.object { w in
                        for (method, route, schema) in operations {
                            w.key(method.rawValue.lowercased())
                            writeOperation(
                                method: method, path: path, route: route, schema: schema,
                                links: links(
                                    from: schema, source: operationId(method: method, path: path), to: targets),
                                to: &w)
                        }
                    }
                }
            }
            w.key("components")
            w.object { w in
                w.key("schemas")
                w.object { w in
                    for (name, schema) in MessageSchemas.all {
                        w.key(name)
                        schema.write(to: &w)
                    }
                }
            }
        }
        return w.bytes
    }

    /// The methods a documented path answers to, for telling 405 from 404; `/ajax-api/` paths answer
    /// as their `/api/` twins.
    static func allowedMethods(path: String) -> [HTTPRequest.Method] {
        let path = path.hasPrefix("/ajax-api/") ? "/api/" + path.dropFirst("/ajax-api/".count) : path
        return sections.flatMap { $0.allowedMethods(path: path) }
    }

    /// Whether a route segment is a parameter (`:name` or `*name`).
    static func isParameter(_ segment: Substring) -> Bool { segment.hasPrefix(":") || segment.hasPrefix("*") }

    /// The OpenAPI path of a route: `:name` and `*name` segments become `{name}`.
    static func openAPIPath(prefix: String, _ route: String) -> String {
        prefix
            + route.split(separator: "/", omittingEmptySubsequences: false).map { segment in
                isParameter(segment) ? "{" + segment.dropFirst() + "}" : String(segment)
            }.joined(separator: "/")
    }

    /// The path parameters of a route pattern, in order.
    static func pathParameters(_ route: String) -> [String] {
        route.split(separator: "/").filter(isParameter).map { String($0.dropFirst()) }
    }

    /// The documented operations grouped by OpenAPI path, in table order.
    static func grouped(_ sections: [DocumentedRoutes]) -> [(
        String, [(HTTPRequest.Method, String, EndpointSchema)]
    )] {
        var order: [String] = []
        var byPath: [String: [(HTTPRequest.Method, String, EndpointSchema)]] = [:]
        for section in sections {
            for (route, methods) in section.routes {
                for method in methods {
                    guard let schema = section.schemas[DocumentedRoutes.key(method, route)] else { continue }
                    let path = openAPIPath(prefix: section.prefix, route)
                    if byPath[path] == nil { order.append(path) }
                    byPath[path, default: []].append((method, route, schema))
                }
            }
        }
        return order.map { ($0, byPath[$0]!) }
    }

    /// Writes one operation: parameters, request body, responses and links.
    static func writeOperation(
        method: HTTPRequest.Method, path: String, route: String, schema: EndpointSchema, links: [Link],
        to w: inout JSONWriter
    ) {
        w.object { w in
            w.field("operationId", operationId(method: method, path: path))
            w.field("summary", schema.summary)
            let queryFields = method == .get || schema.body == .binary ? schema.fields : []
            let pathNames = pathParameters(route)
            if !pathNames.isEmpty || !queryFields.isEmpty {
                w.key("parameters")
                w.array { w in
                    for name in pathNames {
                        writeParameter(.required(name, .nonEmptyString), in: "path", to: &w)
                    }
                    for field in queryFields { writeParameter(field, in: "query", to: &w) }
                }
            }
            if schema.body == .binary {
                w.key("requestBody")
                // An empty upload is a valid (empty) file.
                writeContent(media: "application/octet-stream", schema: .binary, required: false, to: &w)
            } else if method != .get && !schema.fields.isEmpty {
                w.key("requestBody")
                writeContent(
                    media: "application/json", schema: Schema(type: "object", properties: schema.fields),
                    required: true, to: &w)
            }
            w.key("responses")
            w.object { w in
                w.key(String(schema.status))
                writeResponse(
                    schema.status == 200 ? "Success" : "Not implemented", media: schema.replyMedia,
                    schema: schema.reply, links: links, to: &w)
                w.key("4XX")
                writeResponse("MLflow error", media: "application/json", schema: .ref("Error"), to: &w)
            }
        }
    }

    /// A unique operation id from the method and path: `postApi20MlflowRunsCreate`.
    static func operationId(method: HTTPRequest.Method, path: String) -> String {
        let words = path.split { !$0.isLetter && !$0.isNumber }.map(String.init)
        return method.rawValue.lowercased() + words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// Writes a query or path parameter.
    static func writeParameter(_ field: Field, in location: String, to w: inout JSONWriter) {
        w.object { w in
            w.field("name", field.name)
            w.field("in", location)
            w.field("required", field.required)
            w.key("schema")
            field.schema.write(to: &w)
        }
    }

    /// Writes a request body of one media type.
    static func writeContent(media: String, schema: Schema, required: Bool, to w: inout JSONWriter) {
        w.object { w in
            w.field("required", required)
            w.key("content")
            w.object { w in
                w.key(media)
                w.object { w in
                    w.key("schema")
                    schema.write(to: &w)
                }
            }
        }
    }

    /// Writes a response: description, links and content (none for an empty `media`).
    static func writeResponse(
        _ description: String, media: String, schema: Schema, links: [Link] = [], to w: inout JSONWriter
    ) {
        w.object { w in
            w.field("description", description)
            if !links.isEmpty {
                w.key("links")
                w.object { w in for link in links { link.write(to: &w) } }
            }
            guard !media.isEmpty else { return }
            w.key("content")
            w.object { w in
                w.key(media)
                w.object { w in
                    w.key("schema")
                    schema.write(to: &w)
                }
            }
        }
    }
}
