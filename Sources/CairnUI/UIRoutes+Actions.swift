import CairnCore
import Hummingbird

extension UIRoutes {
    /// The run page's form posts, each checked by ``FormGuard``.
    func registerRunActions<Context: RequestContext>(on router: Router<Context>) {
        let actions: [(String, @Sendable (RunActions, String, QueryString) async throws -> Response)] = [
            ("rename", { try await $0.rename(id: $1, form: $2) }),
            ("tags", { try await $0.setTag(id: $1, form: $2) }),
            ("tags/delete", { try await $0.deleteTag(id: $1, form: $2) }),
            ("note", { try await $0.note(id: $1, form: $2) }),
            ("delete", { a, id, _ in try await a.delete(id: id) }),
            ("restore", { a, id, _ in try await a.restore(id: id) }),
        ]
        for (path, action) in actions {
            router.post(RouterPath("runs/:id/" + path)) { request, context in
                await page {
                    let form = try await FormGuard.checkedForm(request)
                    let capability: Capability = path == "delete" || path == "restore" ? .delete : .update
                    try await access.require(capability, run: Self.param(context, "id"))
                    return try await action(RunActions(store: store), Self.param(context, "id"), form)
                }
            }
        }
    }

    /// The model pages' form posts, each checked by ``FormGuard``.
    func registerModelActions<Context: RequestContext>(on router: Router<Context>) {
        router.post("models/:name/description") { request, context in
            await page {
                let form = try await FormGuard.checkedForm(request)
                try await access.require(.update, on: GrantKey(.registeredModel, Self.param(context, "name")))
                return try await ModelActions(store: store).describeModel(name: Self.param(context, "name"), form: form)
            }
        }
        let versionActions: [(String, @Sendable (ModelActions, String, String, QueryString) async throws -> Response)] =
            [
                ("description", { try await $0.describeVersion(name: $1, version: $2, form: $3) }),
                ("aliases", { try await $0.setAlias(name: $1, version: $2, form: $3) }),
                ("aliases/delete", { try await $0.deleteAlias(name: $1, version: $2, form: $3) }),
                ("stage", { try await $0.transition(name: $1, version: $2, form: $3) }),
            ]
        for (path, action) in versionActions {
            router.post(RouterPath("models/:name/versions/:version/" + path)) { request, context in
                await page {
                    let form = try await FormGuard.checkedForm(request)
                    try await access.require(.update, on: GrantKey(.registeredModel, Self.param(context, "name")))
                    return try await action(
                        ModelActions(store: store), Self.param(context, "name"), Self.param(context, "version"), form)
                }
            }
        }
        router.get("logged-models/:id") { request, context in
            await page {
                let model = try await store.getLoggedModel(id: Self.param(context, "id"), allowDeleted: true)
                try await access.require(.read, on: GrantKey(.experiment, model.experimentId))
                return try await LoggedModelPage(store: store, artifacts: artifacts).render(
                    id: Self.param(context, "id"))
            }
        }
    }
}
