import CairnCore
import CairnStore
import Foundation
import Hummingbird

/// `/logged-models/:id`: a logged model (`m-…`) with its MLmodel flavors, signature, input example,
/// registrations and a load snippet to copy.
struct LoggedModelPage {
    static let maxMLmodelBytes = 262_144
    static let maxExampleBytes = 16_384

    let store: any MetadataStore
    let artifacts: LocalArtifactStore

    func render(id: String) async throws -> Response {
        let model = try await store.getLoggedModel(id: id, allowDeleted: false)
        let experiment = try await store.getExperiment(id: model.experimentId)
        var target = "models:/" + model.modelId
        var registered: [Html] = []
        for r in model.registrations {
            guard let number = Int64(r.version) else { continue }
            let version = try? await store.modelVersion(name: r.name, version: number)
            let aliases = version?.aliases.sorted() ?? []
            if target.hasPrefix("models:/m-") {
                target = "models:/" + r.name + (aliases.first.map { "@" + $0 } ?? "/" + r.version)
            }
            registered.append(
                """
                <li><a href="\(ModelLinks.version(r.name, number))">\(r.name) version \(r.version)</a> \
                \(Html.join(aliases.map { "<span class=\"alias\">@\($0)</span> " }))</li>
                """)
        }
        let file = readMLmodel(model)
        let snippet = "import mlflow\nmodel = mlflow.pyfunc.load_model(\"\(target)\")"
        let run: Html = model.sourceRunId.map { "<a href=\"/runs/\($0)\"><code>\($0)</code></a>" } ?? "—"
        let body: Html = """
            <div class="page-head"><h1>\(model.name) \(Layout.badge(model.status.rawValue))</h1>
            <p class="muted">Logged model <code>\(model.modelId)</code></p></div>
            <section class="card"><h2>Load it</h2>
            <p class="copy-line"><label for="load-snippet">Python</label>
            <textarea id="load-snippet" class="mono" rows="2" readonly>\(snippet)</textarea>
            <button type="button" class="small" data-copy="load-snippet">Copy</button></p>
            </section>
            <div class="cards">
            <section class="card"><h2>Details</h2><dl class="facts">
            <dt>Source run</dt><dd>\(run)</dd>
            <dt>Type</dt><dd>\(model.modelType ?? "—")</dd>
            <dt>Created (UTC)</dt><dd>\(Format.time(model.creationTimestamp))</dd>
            <dt>Artifacts</dt><dd class="wrap"><code>\(model.artifactUri)</code></dd>
            <dt>MLflow version</dt><dd>\(file?.fields["mlflow_version"] ?? "—")</dd>
            <dt>Registered as</dt><dd>\(registered.isEmpty ? "—" : "<ul class=\"plain\">\(registered)</ul>" as Html)</dd>
            </dl></section>
            \(flavors(file))
            </div>
            \(signature(file))
            \(example(model, file))
            """
        return UIRoutes.html(
            Layout.page(
                title: model.name, section: .experiments,
                crumbs: [
                    ("Experiments", "/"), (experiment.name, "/experiments/" + experiment.experimentId),
                    (model.name, nil),
                ],
                body: body))
    }

    /// The model folder's path under the artifact root, nil when its artifacts are stored elsewhere.
    private func folder(_ model: LoggedModel) -> String? {
        LocalArtifactStore.proxiedPath(model.artifactUri)
    }

    private func read(_ relative: String, limit: Int) -> String? {
        guard let path = try? artifacts.resolve(relative), let handle = FileHandle(forReadingAtPath: path) else {
            return nil
        }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: limit) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    private func readMLmodel(_ model: LoggedModel) -> MLmodelFile? {
        guard let base = folder(model), let text = read(base + "/MLmodel", limit: Self.maxMLmodelBytes) else {
            return nil
        }
        return MLmodelFile(text: text)
    }

    private func flavors(_ file: MLmodelFile?) -> Html {
        guard let file, !file.flavors.isEmpty else {
            return "<section class=\"card\"><h2>Flavors</h2><p class=\"empty\">No MLmodel file was found.</p></section>"
        }
        let items = Html.join(
            file.flavors.map { f in
                let settings = Html.join(
                    f.settings.filter { !$0.1.isEmpty }.map { "<dt>\($0.0)</dt><dd><code>\($0.1)</code></dd>" })
                return "<h3>\(f.name)</h3><dl class=\"facts\">\(settings)</dl>"
            })
        return "<section class=\"card\"><h2>Flavors</h2>\(items)</section>"
    }

    private func signature(_ file: MLmodelFile?) -> Html {
        func table(_ title: String, _ columns: [MLmodelFile.Column]?) -> Html {
            guard let columns, !columns.isEmpty else { return "<h3>\(title)</h3><p class=\"empty\">Not recorded.</p>" }
            let rows = Html.join(
                columns.map {
                    "<tr><td>\($0.name.isEmpty ? "—" : $0.name)</td><td><code>\($0.type)</code></td><td>\($0.required ? "yes" : "no")</td></tr>"
                })
            return """
                <h3>\(title)</h3><table class="grid"><thead><tr><th scope="col">Name</th><th scope="col">Type</th>\
                <th scope="col">Required</th></tr></thead><tbody>\(rows)</tbody></table>
                """
        }
        guard let file, file.inputs != nil || file.outputs != nil else {
            return "<section class=\"card\"><h2>Signature</h2><p class=\"empty\">No signature.</p></section>"
        }
        return """
            <section class="card signature"><h2>Signature</h2>\(table("Inputs", file.inputs))\
            \(table("Outputs", file.outputs))</section>
            """
    }

    private func example(_ model: LoggedModel, _ file: MLmodelFile?) -> Html {
        guard let path = file?.inputExamplePath, let base = folder(model),
            let text = read(base + "/" + path, limit: Self.maxExampleBytes)
        else { return "" }
        let more: Html =
            text.utf8.count >= Self.maxExampleBytes ? "<p class=\"muted small\">Showing the first 16 KiB.</p>" : ""
        return """
            <section class="card"><h2>Input example</h2><p class="muted small"><code>\(path)</code></p>\
            <pre class="example">\(text)</pre>\(more)</section>
            """
    }
}
