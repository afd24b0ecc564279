import CairnAuth
import CairnCore
import CairnStore
import Foundation
import Hummingbird

/// The web UI: server-rendered pages for experiments, runs, comparisons and the model registry.
///
/// Mounted at `/` next to the API; it never registers a path under `/api`, `/ajax-api`,
/// `/health` or `/version`.
///
/// ```swift
/// UIRoutes(store: store, artifacts: artifacts).register(on: router)
/// ```
public struct UIRoutes: Sendable {
    let store: any MetadataStore
    let artifacts: LocalArtifactStore
    /// Permission checks (all pass when the server runs without `--auth`).
    let access: ResourceGuard

    /// Creates the UI over a store and the artifact folder; with `auth`, pages and actions are limited
    /// to what the signed-in user may do.
    public init(store: any MetadataStore, artifacts: LocalArtifactStore, auth: AuthService? = nil) {
        self.store = store
        self.artifacts = artifacts
        self.access = ResourceGuard(auth: auth, store: store)
    }

    /// Adds the UI routes to `router`.
    public func register<Context: RequestContext>(on router: Router<Context>) {
        router.get(RouterPath(Assets.stylePath)) { _, _ in Assets.response(Assets.css, type: "text/css; charset=utf-8")
        }
        router.get(RouterPath(Assets.scriptPath)) { _, _ in
            Assets.response(Assets.js, type: "text/javascript; charset=utf-8")
        }
        router.get("/") { request, _ in
            let browser = FormGuard.BrowserToken(request)
            return browser.apply(
                to: await page {
                    try await ExperimentsPage(
                        store: store, browser: browser, visible: try await access.visibility(.experiment),
                        rights: try await access.permissions(on: .experiment)
                    ).render(QueryString(request.uri.query))
                })
        }
        router.post("experiments") { request, _ in
            await page {
                let form = try await FormGuard.checkedForm(request)
                _ = try access.requireCaller()
                return try await ExperimentActions(store: store, access: access).create(form)
            }
        }
        router.post("experiments/:id/rename") { request, context in
            await page {
                let form = try await FormGuard.checkedForm(request)
                try await access.require(.update, on: GrantKey(.experiment, Self.param(context, "id")))
                return try await ExperimentActions(store: store, access: access).rename(
                    id: Self.param(context, "id"), form: form)
            }
        }
        router.post("experiments/:id/delete") { request, context in
            await page {
                _ = try await FormGuard.checkedForm(request)
                try await access.require(.delete, on: GrantKey(.experiment, Self.param(context, "id")))
                return try await ExperimentActions(store: store, access: access).delete(id: Self.param(context, "id"))
            }
        }
        router.get("experiments/:id") { request, context in
            await page {
                try await access.require(.read, on: GrantKey(.experiment, Self.param(context, "id")))
                return try await ExperimentPage(store: store).render(
                    id: Self.param(context, "id"), query: QueryString(request.uri.query))
            }
        }
        router.get("runs/:id") { request, context in
            let browser = FormGuard.BrowserToken(request)
            return browser.apply(
                to: await page {
                    let id = Self.param(context, "id")
                    try await access.require(.read, run: id)
                    return try await RunPage(
                        store: store, artifacts: artifacts, browser: browser,
                        canUpdate: await access.allows(.update, run: id),
                        canDelete: await access.allows(.delete, run: id)
                    ).render(id: id)
                })
        }
        router.get("runs/:id/metric") { request, context in
            await page {
                try await access.require(.read, run: Self.param(context, "id"))
                return try await RunMetricPage(store: store).render(
                    runId: Self.param(context, "id"), query: QueryString(request.uri.query))
            }
        }
        LoginRoutes.register(on: router, auth: access.auth)
        registerRunActions(on: router)
        registerModelActions(on: router)
        router.get("runs/:id/artifacts") { request, context in
            await page {
                try await access.require(.read, run: Self.param(context, "id"))
                return try await ArtifactBrowser(store: store, artifacts: artifacts).render(
                    runId: Self.param(context, "id"), query: QueryString(request.uri.query))
            }
        }
        router.get("runs/:id/artifact") { request, context in
            await page {
                try await access.require(.read, run: Self.param(context, "id"))
                return try await ArtifactBrowser(store: store, artifacts: artifacts).raw(
                    runId: Self.param(context, "id"), query: QueryString(request.uri.query), context: context)
            }
        }
        router.get("compare") { request, _ in
            await page {
                let query = QueryString(request.uri.query)
                for runId in Set(ComparePage.runIds(query)) { try await access.require(.read, run: runId) }
                return try await ComparePage(store: store).render(query)
            }
        }
        router.get("models") { request, _ in
            await page {
                try await ModelsPage(store: store, visible: try await access.visibility(.registeredModel)).render(
                    QueryString(request.uri.query))
            }
        }
        router.get("models/:name") { request, context in
            let browser = FormGuard.BrowserToken(request)
            return browser.apply(
                to: await page {
                    let model = GrantKey(.registeredModel, Self.param(context, "name"))
                    try await access.require(.read, on: model)
                    return try await ModelPage(
                        store: store, browser: browser, canUpdate: await access.allows(.update, on: model)
                    ).render(name: model.id)
                })
        }
        router.get("models/:name/versions/:version") { request, context in
            let browser = FormGuard.BrowserToken(request)
            return browser.apply(
                to: await page {
                    let model = GrantKey(.registeredModel, Self.param(context, "name"))
                    try await access.require(.read, on: model)
                    return try await ModelVersionPage(
                        store: store, browser: browser, canUpdate: await access.allows(.update, on: model)
                    ).render(name: model.id, version: Self.param(context, "version"))
                })
        }
        router.get("models/:name/versions/:version/monitoring") { _, context in
            await page {
                try await access.require(.read, on: GrantKey(.registeredModel, Self.param(context, "name")))
                return try await MonitoringPage(store: store).render(
                    name: Self.param(context, "name"), version: Self.param(context, "version"))
            }
        }
    }

    /// Runs a page handler, turning every failure into an HTML error page with the right status.
    func page(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as MlflowError {
            return Self.html(
                ErrorPage.render(status: error.code.httpStatus, message: error.message), status: error.code.httpStatus)
        } catch let error as HTTPError {
            let status = Int(error.status.code)
            return Self.html(
                ErrorPage.render(status: status, message: error.body ?? error.status.reasonPhrase), status: status)
        } catch {
            return Self.html(ErrorPage.render(status: 500, message: "Internal error: \(error)"), status: 500)
        }
    }

    /// Whether `path` is outside the API and service routes, so a miss there is a missing page.
    public static func isPagePath(_ path: String) -> Bool {
        !["/api/", "/ajax-api/", "/health", "/version"].contains { path.hasPrefix($0) }
    }

    /// The HTML 404 page for a path that matches no route.
    public static func notFoundPage(path: String) -> Response {
        html(ErrorPage.render(status: 404, message: "There is no page at \(path)."), status: 404)
    }

    /// A path parameter, percent-decoded.
    static func param<Context: RequestContext>(_ context: Context, _ name: String) -> String {
        let raw = context.parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    /// Reads an `application/x-www-form-urlencoded` body; one over 64 KiB gets 413.
    static func form(_ request: Request) async throws -> QueryString {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: FormGuard.maxFormBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw MlflowError(.resourceLimitExceeded, "The form is larger than 64 KiB.")
        }
        return QueryString(String(buffer: buffer))
    }

    /// The policy of every page: scripts and styles from this server only (inline style attributes are
    /// used by chart legends), no plugins, forms post here only, and no framing by any site.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// An HTML response, with headers that forbid framing, type sniffing and foreign scripts.
    static func html(_ html: Html, status: Int = 200) -> Response {
        Response(
            status: .init(code: status),
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: contentSecurityPolicy, .init("X-Frame-Options")!: "DENY",
                .init("X-Content-Type-Options")!: "nosniff", .init("Referrer-Policy")!: "same-origin",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html.raw)))
    }

    /// A 303 redirect to a page of the UI, after a form post.
    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .contentLength: "0"])
    }
}
