import CairnCore
import CairnStore
import Foundation
import Hummingbird

/// The form posts of the experiments list: create, rename and delete, each redirecting back.
struct ExperimentActions {
    let store: any MetadataStore

    func create(_ form: QueryString) async throws -> Response {
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw MlflowError.invalid("An experiment needs a name.") }
        try Validation.experimentName(name)
        let id = try await store.createExperiment(name: name, artifactLocation: nil, tags: [])
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
