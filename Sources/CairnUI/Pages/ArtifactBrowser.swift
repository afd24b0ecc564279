import CairnCore
import CairnStore
import Foundation
import Hummingbird

/// `/runs/:id/artifacts?path=…`: the artifact tree of a run with a download link and an inline
/// preview of the chosen file; `/runs/:id/artifact?path=…` serves a file for previews.
struct ArtifactBrowser {
    static let maxTreeEntries = 500

    let store: any MetadataStore
    let artifacts: LocalArtifactStore

    /// The folder of the run's artifacts relative to the artifact root, or nil when they are elsewhere.
    private func base(_ run: Run) -> String? { LocalArtifactStore.proxiedPath(run.info.artifactUri) }

    /// The artifacts card of the run page: the tree, linking into the browser.
    func summary(run: Run) -> Html {
        """
        <section class="card"><h2>Artifacts</h2>\(tree(run, selected: nil))</section>
        """
    }

    func render(runId: String, query: QueryString) async throws -> Response {
        let run = try await store.getRun(id: runId)
        let path = query["path"] ?? ""
        _ = try ArtifactPath.segments(path)
        guard let base = base(run) else {
            throw MlflowError.notFound("This run keeps its artifacts at \(run.info.artifactUri), outside this server.")
        }
        let full = try artifacts.resolve(path.isEmpty ? base : base + "/" + path)
        var preview: Html
        switch artifacts.kind(full) {
        case nil: throw MlflowError.notFound("No artifact '\(path)' in run \(runId).")
        case true?: preview = "<p class=\"muted\">Folder <code>\(path.isEmpty ? "/" : path)</code>. Choose a file.</p>"
        case false?:
            preview = ArtifactPreview(runId: runId, path: path, file: full).render(download: download(base, path))
        }
        let experiment = try await store.getExperiment(id: run.info.experimentId)
        let body: Html = """
            <div class="page-head"><h1>Artifacts of \(run.info.runName)</h1></div>
            <div class="browser">
            <nav class="card tree-pane" aria-label="Artifact tree">\(tree(run, selected: path))</nav>
            <section class="card preview-pane" aria-label="Preview">\(preview)</section>
            </div>
            """
        return UIRoutes.html(
            Layout.page(
                title: "Artifacts · " + run.info.runName, section: .experiments,
                crumbs: [
                    ("Experiments", "/"), (experiment.name, "/experiments/" + experiment.experimentId),
                    (run.info.runName, "/runs/" + runId), ("Artifacts", nil),
                ],
                body: body))
    }

    /// Serves one artifact inline, sandboxed so that HTML and SVG cannot run scripts on this origin.
    func raw<Context: RequestContext>(runId: String, query: QueryString, context: Context) async throws -> Response {
        let run = try await store.getRun(id: runId)
        let path = query["path"] ?? ""
        guard !path.isEmpty, let base = base(run) else { throw MlflowError.invalid("Name an artifact file.") }
        _ = try ArtifactPath.segments(path)
        let full = try artifacts.resolve(base + "/" + path)
        guard artifacts.kind(full) == false else { throw MlflowError.notFound("No artifact file '\(path)'.") }
        let body = try await FileIO().loadFile(path: full, context: context)
        return Response(
            status: .ok,
            headers: [
                .contentType: ArtifactPreview.contentType(path),
                .contentSecurityPolicy: "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'",
                .init("X-Content-Type-Options")!: "nosniff",
            ],
            body: body)
    }

    /// The first `.diff` or `.patch` file at the top or in a `source`/`code` folder, as the code diff.
    func diffArtifact(_ run: Run) -> String? {
        guard let base = base(run) else { return nil }
        for dir in ["", "source", "code", "cairn/source"] {
            let entries = (try? artifacts.list(dir.isEmpty ? base : base + "/" + dir)) ?? []
            let hit = entries.first { !$0.isDirectory && ($0.path.hasSuffix(".diff") || $0.path.hasSuffix(".patch")) }
            if let hit { return dir.isEmpty ? hit.path : dir + "/" + hit.path }
        }
        return nil
    }

    /// The download URL through the artifact proxy.
    private func download(_ base: String, _ path: String) -> String {
        let segments = (base + "/" + path).split(separator: "/").map { QueryString.encode(String($0)) }
        return "/api/2.0/mlflow-artifacts/artifacts/" + segments.joined(separator: "/")
    }

    /// The nested listing of the run's artifacts, opened along the selected path.
    private func tree(_ run: Run, selected: String?) -> Html {
        guard let base = base(run) else {
            return "<p class=\"muted\">Stored at <code>\(run.info.artifactUri)</code>, outside this server.</p>"
        }
        var budget = Self.maxTreeEntries
        let listing = level(run.info.runId, base: base, path: "", selected: selected, budget: &budget)
        if listing.raw.isEmpty { return "<p class=\"empty\">No artifacts.</p>" }
        let more: Html =
            budget <= 0 ? "<p class=\"muted small\">Listing cut at \(Self.maxTreeEntries) entries.</p>" : ""
        return "<ul class=\"tree\">\(listing)</ul>\(more)"
    }

    private func level(_ runId: String, base: String, path: String, selected: String?, budget: inout Int) -> Html {
        guard let entries = try? artifacts.list(path.isEmpty ? base : base + "/" + path) else { return "" }
        var out: Html = ""
        for e in entries.sorted(by: { ($0.isDirectory ? 0 : 1, $0.path) < ($1.isDirectory ? 0 : 1, $1.path) }) {
            guard budget > 0 else { break }
            budget -= 1
            let child = path.isEmpty ? e.path : path + "/" + e.path
            let href = QueryString.url("/runs/" + runId + "/artifacts", [("path", child)])
            let current: Html = selected == child ? " aria-current=\"page\"" : ""
            if e.isDirectory {
                let open: Html = (selected ?? "").hasPrefix(child + "/") || selected == child ? " open" : ""
                let inner = level(runId, base: base, path: child, selected: selected, budget: &budget)
                out += """
                    <li><details\(open)><summary><a href="\(href)"\(current)>\(e.path)/</a></summary>\
                    <ul>\(inner)</ul></details></li>
                    """
            } else {
                out +=
                    "<li><a href=\"\(href)\"\(current)>\(e.path)</a> <span class=\"muted small\">\(Format.bytes(e.size))</span></li>"
            }
        }
        return out
    }
}
