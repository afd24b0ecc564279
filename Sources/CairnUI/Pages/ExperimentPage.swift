import CairnCore
import CairnStore
import Hummingbird

/// `/experiments/:id`: the runs of one experiment, filtered, sorted, paged and grouped on the server.
///
/// Without chosen columns the table shows the experiment's metrics and the params that vary between
/// the shown runs; a choice is kept in the URL and remembered per experiment by the page script.
struct ExperimentPage {
    static let defaultMetricColumns = 8
    static let defaultParamColumns = 6

    let store: any MetadataStore

    func render(id: String, query: QueryString) async throws -> Response {
        let experiment = try await store.getExperiment(id: id)
        var view = try RunsView(experimentId: experiment.experimentId, query: query)
        var problem: String?
        var filter = RunFilter(clauses: [])
        var order: [RunOrderClause] = []
        do {
            filter = try RunFilter(parsing: view.filterText)
            order = [try RunOrderClause.parseRun(view.orderText)]
        } catch {
            problem = error.message
        }
        if !view.flat {
            filter.clauses.append(
                RunFilterClause(field: .tag("mlflow.parentRunId"), comparator: .isNull, value: .none))
        }
        let keys = try await store.recentKeys(experimentId: experiment.experimentId, sampleRuns: 200)
        var table: Html = ""
        var status = 200
        var running = false
        if problem != nil {
            status = 400
            table = "<p class=\"empty\">Fix the filter to see runs.</p>"
        } else {
            var runQuery = RunQuery(
                experimentIds: [experiment.experimentId], filter: filter, maxResults: RunsView.pageSize,
                orderBy: order, offset: (view.page - 1) * RunsView.pageSize)
            let total = try await store.countRuns(runQuery)
            let last = max((total + RunsView.pageSize - 1) / RunsView.pageSize, 1)
            if view.page > last {
                throw MlflowError.notFound("Page \(view.page) is past the last page (\(last)) of this view.")
            }
            let runs = try await store.searchRuns(runQuery).items
            var children: [String: [Run]] = [:]
            if !view.flat, !runs.isEmpty {
                runQuery.filter = RunFilter(clauses: [
                    RunFilterClause(
                        field: .tag("mlflow.parentRunId"), comparator: .in, value: .list(runs.map(\.info.runId)))
                ])
                runQuery.offset = 0
                runQuery.maxResults = 2000
                runQuery.orderBy = [RunOrderClause(field: .attribute(.startTime), ascending: true)]
                for child in try await store.searchRuns(runQuery).items {
                    if let parent = child.tags.first(where: { $0.key == "mlflow.parentRunId" })?.value {
                        children[parent, default: []].append(child)
                    }
                }
            }
            if view.columnChoice != .chosen {
                view.columns = Self.defaultColumns(keys: keys, runs: runs + children.values.joined())
            }
            running =
                runs.contains { $0.info.status == .running }
                || children.values.joined().contains {
                    $0.info.status == .running
                }
            table = RunsTable(view: view, runs: runs, children: children, total: total).render()
        }
        let body: Html = """
            <div class="page-head">
            <h1>\(experiment.name)</h1>
            <p class="muted">Experiment \(experiment.experimentId) · artifacts at <code>\(experiment.artifactLocation)</code></p>
            \(running ? AutoRefresh.toggle : "")
            </div>
            \(filterForm(view, problem: problem))
            \(columnPicker(view, keys: keys))
            \(table)
            """
        return UIRoutes.html(
            Layout.page(
                title: experiment.name, section: .experiments, crumbs: [("Experiments", "/"), (experiment.name, nil)],
                body: body), status: status)
    }

    /// The experiment's first metrics, then the params whose values differ between `runs`.
    static func defaultColumns(keys: RunKeys, runs: [Run]) -> [RunColumn] {
        let metrics = keys.metrics.prefix(defaultMetricColumns).map { RunColumn(kind: .metrics, key: $0) }
        var values: [String: Set<String>] = [:]
        for run in runs {
            for p in run.params { values[p.key, default: []].insert(p.value) }
        }
        // A param varies when two runs that have it disagree on its value.
        let varying = values.keys.filter { (values[$0]?.count ?? 0) > 1 }.sorted()
        return metrics + varying.prefix(defaultParamColumns).map { RunColumn(kind: .params, key: $0) }
    }

    private func filterForm(_ view: RunsView, problem: String?) -> Html {
        let error: Html =
            problem.map { "<p id=\"filter-error\" class=\"error\" role=\"alert\">\($0)</p>" } ?? ""
        let described: Html = problem == nil ? "" : " aria-describedby=\"filter-error\" aria-invalid=\"true\""
        let groupLink: Html =
            view.flat
            ? "<a href=\"\(view.url(flat: false))\">Group sweep children under parents</a>"
            : "<a href=\"\(view.url(flat: true))\">Show all runs flat</a>"
        return """
            <form class="filter" method="get" action="/experiments/\(view.experimentId)" role="search">
            <label for="filter">Filter runs <span class="muted">(MLflow search syntax, e.g. <code>metrics.acc &gt; 0.9 and params.lr = '0.01'</code>)</span></label>
            <div class="row">
            <input id="filter" name="filter" type="search" value="\(view.filterText)" spellcheck="false"\(described)>
            \(view.hiddenInputs(except: ["filter"]))
            <button type="submit">Apply</button>
            </div>
            \(error)
            <p class="muted small">\(groupLink)</p>
            </form>
            """
    }

    private func columnPicker(_ view: RunsView, keys: RunKeys) -> Html {
        let chosen = Set(view.columns)
        func group(_ kind: RunColumn.Kind, _ title: String, _ list: [String]) -> Html {
            guard !list.isEmpty else { return "" }
            let boxes = Html.join(
                list.enumerated().map { i, key in
                    let c = RunColumn(kind: kind, key: key)
                    let id = "col-\(kind.rawValue)-\(i)"
                    let checked: Html = chosen.contains(c) ? " checked" : ""
                    return """
                        <label for="\(id)" class="check"><input type="checkbox" id="\(id)" name="col" \
                        value="\(c.spec)"\(checked)> \(key)</label>
                        """
                })
            return "<fieldset><legend>\(title)</legend>\(boxes)</fieldset>"
        }
        let userTags = keys.tags.filter { !$0.hasPrefix("mlflow.") }
        let how = view.columnChoice == .chosen ? "chosen" : "default: metrics and params that vary"
        let reset: Html =
            view.columnChoice == .chosen
            ? " <a href=\"\(QueryString.url("/experiments/" + QueryString.encode(view.experimentId), [("cols", "default")]))\">Reset to default columns</a>"
            : ""
        return """
            <div id="runs-view" hidden data-exp="\(view.experimentId)" data-cols="\(view.columnChoice.rawValue)" \
            data-colquery="\(view.columnQuery)"></div>
            <details class="columns card">
            <summary>Columns (\(view.columns.count) shown, \(how))</summary>
            <form method="get" action="/experiments/\(view.experimentId)">
            \(view.hiddenInputs(except: ["col"]))
            <input type="hidden" name="cols" value="chosen">
            <div class="column-groups">
            \(group(.metrics, "Metrics", keys.metrics))
            \(group(.params, "Parameters", keys.params))
            \(group(.tags, "Tags", userTags))
            </div>
            <button type="submit">Show columns</button>\(reset)
            </form>
            </details>
            """
    }
}
