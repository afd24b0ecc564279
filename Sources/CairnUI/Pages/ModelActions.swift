import CairnCore
import CairnStore
import Foundation
import Hummingbird

/// The form posts of the model pages: descriptions, aliases and stage transitions, through the same
/// store primitives and validation as the registry's REST endpoints.
struct ModelActions {
    let store: any MetadataStore

    func describeModel(name: String, form: QueryString) async throws -> Response {
        _ = try await store.updateRegisteredModel(name: name, description: description(form))
        return UIRoutes.redirect(ModelLinks.model(name))
    }

    func describeVersion(name: String, version: String, form: QueryString) async throws -> Response {
        let number = try Self.number(version)
        _ = try await store.updateModelVersion(name: name, version: number, description: description(form))
        return UIRoutes.redirect(ModelLinks.version(name, number))
    }

    func setAlias(name: String, version: String, form: QueryString) async throws -> Response {
        let number = try Self.number(version)
        let alias = (form["alias"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !alias.isEmpty else { throw MlflowError.invalid("Name the alias to set.") }
        try RegistryValidation.alias(alias)
        _ = try await store.modelVersion(name: name, version: number)
        try await store.setAlias(name: name, alias: alias, version: number)
        return UIRoutes.redirect(ModelLinks.version(name, number))
    }

    func deleteAlias(name: String, version: String, form: QueryString) async throws -> Response {
        let number = try Self.number(version)
        let alias = form["alias"] ?? ""
        guard !alias.isEmpty else { throw MlflowError.invalid("Name the alias to remove.") }
        try RegistryValidation.alias(alias)
        try await store.deleteAlias(name: name, alias: alias)
        return UIRoutes.redirect(ModelLinks.version(name, number))
    }

    func transition(name: String, version: String, form: QueryString) async throws -> Response {
        let number = try Self.number(version)
        let text = form["stage"] ?? ""
        guard let stage = ModelStage(caseInsensitive: text) else { throw ModelStage.invalid(text) }
        _ = try await store.transitionStage(
            name: name, version: number, stage: stage, archiveExisting: form["archive_existing"] == "1")
        return UIRoutes.redirect(ModelLinks.version(name, number))
    }

    private func description(_ form: QueryString) -> String {
        (form["description"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// A version number from the path; anything but a positive whole number is a bad request.
    static func number(_ version: String) throws -> Int64 {
        guard let number = Int64(version), number > 0 else {
            throw MlflowError.invalid("Invalid version '\(version)': versions are positive whole numbers.")
        }
        return number
    }
}
