import CairnAuth
import CairnCore
import CairnStore
import Foundation
import Hummingbird

/// The form posts of the experiments list: create, rename and delete, each redirecting back.
struct ExperimentActions {
    let store: any MetadataStore
    /// Grants the creator of an experiment `MANAGE` on it.
    var access: ResourceGuard? = nil

    func create(_ form: QueryString) async throws -> Response {
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw MlflowError.invalid("An experiment needs a name.") }
        try Validation.experimentName(name)
        let id = try await store.createExperiment(name: name, artifactLocation: nil, tags: [])
        try await access?.created(GrantKey(.experiment, id))
        try await access?.audit("experiments/create", "experiment", name)
        return UIRoutes.redirect("/experiments/" + id)
    }

    func rename(id: String, form: QueryString) async throws -> Response {
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw MlflowError.invalid("An experiment needs a name.") }
        try Validation.experimentName(name)
        try await store.renameExperiment(id: id, newName: name)
        return UIRoutes.redirect("/")
    }

    func delete(id: String) async throws -> Response {
        try await store.deleteExperiment(id: id)
        return UIRoutes.redirect("/")
    }
}
