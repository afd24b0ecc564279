import CairnCore
import CairnStore
import Hummingbird

/// `/runs/:id`: a run's metrics with sparklines, params, tags, datasets, source, artifacts and models.
struct RunPage {
    let store: any MetadataStore
    let artifacts: LocalArtifactStore
    /// The browser's form token, put in every post form.
    let browser: FormGuard.BrowserToken
    /// Whether the viewer may edit the run (rename, note, tags).
    var canUpdate = true
    /// Whether the viewer may delete and restore the run.
    var canDelete = true

    func render(id: String) async throws -> Response {
        let run = try await store.getRun(id: id)
        let info = run.info
        let experiment = try await store.getExperiment(id: info.experimentId)
        let tags = Dictionary(run.tags.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        var metricRows: Html = ""
        for m in run.metrics.sorted(by: { $0.key < $1.key }) {
            let curve = try await store.sampledMetricHistory(runId: id, key: m.key, maxPoints: 80)
            let href = QueryString.url("/runs/" + QueryString.encode(id) + "/metric", [("key", m.key)])
            metricRows += """
                <tr><th scope="row"><a href="\(href)">\(m.key)</a></th><td class="num">\(Format.value(m.value))</td>\
                <td class="num">\(m.step)</td><td><a href="\(href)" aria-label="Full chart of \(m.key)">\
                \(Sparkline.render(curve, label: "History of \(m.key)"))</a></td></tr>
                """
        }
        let versions = try await store.searchModelVersions(
            ModelVersionQuery(filter: .versions(fromRun: id))
        ).items
        var loggedModels: [LoggedModel] = []
        for ref in run.modelOutputs {
            if let model = try? await store.getLoggedModel(id: ref.modelId, allowDeleted: false) {
                loggedModels.append(model)
            }
        }
        let parent = tags["mlflow.parentRunId"]
        let trials = try await store.searchRuns(
            RunQuery(
                experimentIds: [info.experimentId],
                filter: RunFilter(clauses: [
                    RunFilterClause(field: .tag("mlflow.parentRunId"), comparator: .equal, value: .string(id))
                ]), maxResults: ComparePage.maxRuns)
        ).items
        let compareTrials: Html =
            trials.count > 1
            ? """
             · <a href="\(QueryString.url("/compare", trials.map { ("runs", $0.info.runId) }))">Compare its \
            \(trials.count == ComparePage.maxRuns ? "first \(trials.count)" : String(trials.count)) child runs</a>
            """
            : ""
        let browser = ArtifactBrowser(store: store, artifacts: artifacts)
        let forms = RunEditForms(run: run, browser: self.browser, canUpdate: canUpdate, canDelete: canDelete)
        let deleted: Html =
            info.lifecycleStage == .deleted
            ? "<p class=\"banner\" role=\"status\">This run is deleted. Restore it to see it in its experiment again.</p>"
            : ""
        let body: Html = """
            \(deleted)
            <div class="page-head">
            <h1>\(info.runName) \(Layout.badge(info.status.rawValue))</h1>
            \(forms.actions())
            \(info.status == .running ? AutoRefresh.toggle : "")
            <p class="muted">Run <code>\(info.runId)</code> in <a href="/experiments/\(experiment.experimentId)">\(experiment.name)</a>\
            \(parent.map { " · child of <a href=\"/runs/\($0)\">\($0)</a>" as Html })\(compareTrials)</p>
            </div>
            <div class="cards">
            \(overview(info))
            \(RunSourceCard.render(run: run, tags: tags, diffArtifact: browser.diffArtifact(run)))
            </div>
            <section class="card"><h2>Metrics</h2>
            \(run.metrics.isEmpty ? "<p class=\"empty\">No metrics.</p>" : """
            <table class="grid"><thead><tr><th scope="col">Metric</th><th scope="col" class="num">Latest</th>\
            <th scope="col" class="num">Step</th><th scope="col">History</th></tr></thead><tbody>\(metricRows)</tbody></table>
            """ as Html)
            </section>
            <div class="cards">
            \(keyValues("Parameters", run.params))
            \(forms.tags())
            </div>
            \(forms.note())
            \(datasets(run.datasetInputs))
            \(models(loggedModels, versions))
            \(browser.summary(run: run))
            """
        return UIRoutes.html(
            Layout.page(
                title: info.runName, section: .experiments,
                crumbs: [
                    ("Experiments", "/"), (experiment.name, "/experiments/" + experiment.experimentId),
                    (info.runName, nil),
                ],
                body: body))
    }

    private func overview(_ info: RunInfo) -> Html {
        """
        <section class="card"><h2>Overview</h2><dl class="facts">
        <dt>Status</dt><dd>\(info.status.rawValue)</dd>
        <dt>Started (UTC)</dt><dd>\(Format.time(info.startTime))</dd>
        <dt>Ended (UTC)</dt><dd>\(Format.time(info.endTime))</dd>
        <dt>Duration</dt><dd>\(Format.duration(info.endTime.map { $0 - info.startTime }))</dd>
        <dt>User</dt><dd>\(info.userId)</dd>
        <dt>Lifecycle</dt><dd>\(info.lifecycleStage.rawValue)</dd>
        </dl></section>
        """
    }

    private func keyValues(_ title: String, _ items: [KeyValue]) -> Html {
        let rows = Html.join(
            items.sorted { $0.key < $1.key }.map { "<tr><th scope=\"row\">\($0.key)</th><td>\($0.value)</td></tr>" })
        return """
            <section class="card"><h2>\(title)</h2>\
            \(items.isEmpty ? "<p class=\"empty\">None.</p>" : "<table class=\"grid kv\"><tbody>\(rows)</tbody></table>" as Html)
            </section>
            """
    }

    private func datasets(_ inputs: [DatasetInput]) -> Html {
        guard !inputs.isEmpty else { return "" }
        let rows = Html.join(
            inputs.map { i in
                let context = i.tags.first { $0.key == "mlflow.data.context" }?.value ?? ""
                return """
                    <tr><td>\(i.dataset.name)</td><td><code>\(i.dataset.digest)</code></td><td>\(context)</td>\
                    <td>\(i.dataset.sourceType)</td><td class="wrap">\(i.dataset.source)</td></tr>
                    """
            })
        return """
            <section class="card"><h2>Datasets</h2><table class="grid"><thead><tr><th scope="col">Name</th>\
            <th scope="col">Digest</th><th scope="col">Context</th><th scope="col">Source type</th>\
            <th scope="col">Source</th></tr></thead><tbody>\(rows)</tbody></table></section>
            """
    }

    private func models(_ logged: [LoggedModel], _ versions: [ModelVersion]) -> Html {
        guard !logged.isEmpty || !versions.isEmpty else { return "" }
        var items: Html = ""
        for m in logged {
            items += """
                <li>Logged model <a href="/logged-models/\(m.modelId)"><code>\(m.modelId)</code></a> · \(m.name) \
                \(Layout.badge(m.status.rawValue))</li>
                """
        }
        for v in versions {
            let href = "/models/" + QueryString.encode(v.name) + "/versions/" + String(v.version)
            items += "<li>Registered as <a href=\"\(href)\">\(v.name) version \(v.version)</a> \(stage(v))</li>"
        }
        return "<section class=\"card\"><h2>Models</h2><ul class=\"plain\">\(items)</ul></section>"
    }

    private func stage(_ v: ModelVersion) -> Html {
        v.currentStage == .none ? "" : Layout.badge(v.currentStage.rawValue)
    }
}
