import CairnAuth
import CairnCore
import CairnStore

extension ResourceGuard {
    /// Throws 401/403 unless the caller meets an endpoint's requirement for the request `p`.
    func check(_ access: EndpointAccess, _ p: RequestParams) async throws {
        guard auth != nil, let caller = try requireCaller(), !caller.isAdmin else { return }
        switch access {
        case .anyUser: return
        case .admin: try requireAdmin()
        case .experiment(let capability, let field):
            try await require(capability, on: GrantKey(.experiment, try p.requiredString(field)))
        case .experimentByName(let capability):
            let name = try p.requiredString("experiment_name")
            guard let e = try await store.getExperiment(name: name) else { return }  // the handler says 404
            try await require(capability, on: GrantKey(.experiment, e.experimentId))
        case .experiments(let capability, let field):
            for id in Set(try p.strings(field)) { try await require(capability, on: GrantKey(.experiment, id)) }
        case .run(let capability):
            let runId = try p.string("run_id") ?? p.string("run_uuid") ?? ""
            if runId.isEmpty { return }  // the handler names the missing field
            try await require(capability, run: runId)
        case .runs(let capability):
            var experiments = Set<String>()
            for runId in try p.strings("run_ids") { experiments.insert(try await experiment(ofRun: runId)) }
            for id in experiments { try await require(capability, on: GrantKey(.experiment, id)) }
        case .loggedModel(let capability):
            let model = try await store.getLoggedModel(id: p.pathParameters["model_id"] ?? "", allowDeleted: true)
            try await require(capability, on: GrantKey(.experiment, model.experimentId))
        case .registeredModel(let capability):
            try await require(capability, on: GrantKey(.registeredModel, try p.requiredString("name")))
        }
    }
}
