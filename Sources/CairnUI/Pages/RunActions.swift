import CairnCore
import CairnStore
import Foundation
import Hummingbird

/// The form posts of the run page: rename, set and remove tags, write the note, delete and restore.
///
/// Each goes through the same store primitive and validation as the matching REST endpoint and
/// redirects back to the run page.
struct RunActions {
    /// The tag MLflow keeps a run's note (description) in.
    static let noteTag = "mlflow.note.content"

    let store: any MetadataStore

    func rename(id: String, form: QueryString) async throws -> Response {
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw MlflowError.invalid("A run needs a name.") }
        try Validation.runName(name)
        _ = try await store.updateRun(id: id, status: nil, endTime: nil, runName: name)
        return back(id)
    }

    func setTag(id: String, form: QueryString) async throws -> Response {
        let key = (form["key"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else { throw MlflowError.invalid("A tag needs a key.") }
        guard !key.hasPrefix("mlflow.") else {
            throw MlflowError.invalid("Tags starting with 'mlflow.' are set by MLflow and Cairn, not by hand.")
        }
        try await store.setTag(runId: id, tag: try Validation.runTag(KeyValue(key, form["value"] ?? "")))
        return back(id)
    }

    func deleteTag(id: String, form: QueryString) async throws -> Response {
        let key = form["key"] ?? ""
        guard !key.isEmpty else { throw MlflowError.invalid("Name the tag to remove.") }
        try await store.deleteTag(runId: id, key: key)
        return back(id)
    }

    func note(id: String, form: QueryString) async throws -> Response {
        let text = (form["note"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let run = try await store.getRun(id: id)
            if run.tags.contains(where: { $0.key == Self.noteTag }) {
                try await store.deleteTag(runId: id, key: Self.noteTag)
            }
        } else {
            try await store.setTag(runId: id, tag: try Validation.runTag(KeyValue(Self.noteTag, text)))
        }
        return back(id)
    }

    func delete(id: String) async throws -> Response {
        try await store.setRunLifecycle(id: id, stage: .deleted)
        return back(id)
    }

    func restore(id: String) async throws -> Response {
        try await store.setRunLifecycle(id: id, stage: .active)
        return back(id)
    }

    private func back(_ id: String) -> Response {
        UIRoutes.redirect("/runs/" + QueryString.encode(id))
    }
}
