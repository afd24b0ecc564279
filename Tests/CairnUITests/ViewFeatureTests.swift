import CairnCore
import CairnStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CairnUI

/// Default columns, single-value charts, latest values, parallel coordinates, metric and logged-model
/// pages, MLflow's fragment links, auto-refresh and number precision.
@Suite struct ViewFeatureTests {
    @Test func runsTableShowsMetricsAndVaryingParamsByDefault() async throws {
        try await withUIServer { client, s in
            let page = try await client.page("/experiments/\(s.experimentId)")
            #expect(page.status == 200)
            // Both metrics, and lr (which varies) but not layers (the same everywhere).
            #expect(page.html.contains("<a href=\"/experiments/\(s.experimentId)?order=metrics.%60acc%60%20DESC\">acc"))
            #expect(page.html.contains(">loss</a></th>"))
            #expect(page.html.contains(">param lr</a></th>"))
            #expect(!page.html.contains(">param layers</a></th>"))
            #expect(page.html.contains("data-cols=\"defaults\""))
            #expect(page.html.contains(">0.82</td>"))
            // Sorting keeps the defaults rather than freezing them into the URL.
            #expect(!page.html.contains("DESC&amp;cols="))

            let chosen = try await client.page("/experiments/\(s.experimentId)?cols=chosen&col=params.layers")
            #expect(chosen.html.contains(">param layers</a></th>"))
            #expect(!chosen.html.contains(">loss</a></th>"))
            #expect(chosen.html.contains("data-cols=\"chosen\" data-colquery=\"cols=chosen&amp;col=params.layers\""))
            #expect(chosen.html.contains("Reset to default columns"))
            #expect(chosen.html.contains("order=params.%60layers%60%20DESC&amp;cols=chosen&amp;col=params.layers"))
            let none = try await client.page("/experiments/\(s.experimentId)?cols=chosen")
            #expect(!none.html.contains(">loss</a></th>"))
            #expect(none.html.contains("Columns (0 shown, chosen)"))
            let reset = try await client.page("/experiments/\(s.experimentId)?cols=default")
            #expect(reset.html.contains("data-cols=\"reset\""))
            #expect(reset.html.contains(">loss</a></th>"))
        }
    }

    @Test func defaultColumnsPickOnlyParamsThatDiffer() {
        func run(_ params: [KeyValue]) -> Run {
            Run(
                info: RunInfo(
                    runId: "r", runName: "r", experimentId: "1", userId: "", status: .finished, startTime: 0,
                    endTime: nil, artifactUri: "", lifecycleStage: .active),
                params: params)
        }
        let runs = [
            run([KeyValue("lr", "0.1"), KeyValue("seed", "1"), KeyValue("opt", "adam"), KeyValue("bs", "8")]),
            run([KeyValue("lr", "0.2"), KeyValue("seed", "1"), KeyValue("bs", "16")]),
            run([KeyValue("lr", "0.2")]),
        ]
        let columns = ExperimentPage.defaultColumns(
            keys: RunKeys(metrics: ["acc", "loss"], params: ["bs", "lr", "opt", "seed"], tags: []), runs: runs)
        #expect(columns.map(\.spec) == ["metrics.acc", "metrics.loss", "params.bs", "params.lr"])
    }

    @Test func comparePageDrawsSingleValuesAsBarsWithLatestValuesAndParallelCoordinates() async throws {
        try await withUIServer { client, s in
            let query = s.runIds.map { "runs=\($0)" }.joined(separator: "&")
            let page = try await client.page("/compare?\(query)&metric=acc")
            #expect(page.status == 200)
            // acc is logged once per run: bars, one per run, not a line chart.
            #expect(page.html.contains("<figure class=\"chart bars\" id=\"chart-0\">"))
            #expect(page.html.components(separatedBy: "<rect class=\"bar\"").count == 4)
            #expect(page.html.contains("<figure class=\"chart\" id=\"chart-1\">"))
            // Latest values: acc higher is better (run-2's 0.82), loss lower is better (run-2's 1/22).
            #expect(page.html.contains("class=\"grid latest-values\""))
            #expect(page.html.contains("<td class=\"num best\">0.82 <span class=\"sr-only\">(best)</span></td>"))
            #expect(page.html.contains("<td class=\"num best\"><span title=\"0.0454545454545455\">0.04545</span> "))
            #expect(page.html.components(separatedBy: "num best").count == 3)
            // Parallel coordinates: lr varies, layers does not.
            #expect(page.html.contains("<figure class=\"chart parallel\">"))
            #expect(page.html.contains(">params.lr</text>"))
            #expect(!page.html.contains(">params.layers</text>"))
            #expect(page.html.components(separatedBy: "class=\"line pc-line\"").count == 4)
            let one = try await client.page("/compare?runs=\(s.runIds[0])")
            #expect(!one.html.contains("chart parallel"))
            #expect(!one.html.contains("num best"))
        }
    }

    @Test func lowerIsBetterIsReadFromTheMetricName() {
        #expect(LatestValuesTable.prefersLower("val_loss"))
        #expect(LatestValuesTable.prefersLower("test/rmse"))
        #expect(!LatestValuesTable.prefersLower("accuracy"))
        #expect(!LatestValuesTable.prefersLower("lossless_ratio"))
    }

    @Test func metricPageDrawsOneFullSizeChart() async throws {
        try await withUIServer { client, s in
            let id = s.runIds[0]
            let run = try await client.page("/runs/\(id)")
            #expect(run.html.contains("href=\"/runs/\(id)/metric?key=loss\""))
            let page = try await client.page("/runs/\(id)/metric?key=loss")
            #expect(page.status == 200)
            #expect(page.html.contains("<figure class=\"chart\" id=\"metric-chart\">"))
            #expect(page.html.contains("<dt>Points drawn</dt><dd>20</dd>"))
            let single = try await client.page("/runs/\(id)/metric?key=acc")
            #expect(single.html.contains("the only step logged"))
            #expect(!single.html.contains("<svg"))
            #expect(try await client.page("/runs/\(id)/metric?key=nope").status == 404)
            #expect(try await client.page("/runs/\(id)/metric").status == 400)
            #expect(try await client.page("/runs/ffff/metric?key=loss").status == 404)
        }
    }

    @Test func loggedModelPageShowsFlavorsSignatureExampleAndSnippet() async throws {
        try await withUIServer { client, s in
            let page = try await client.page("/logged-models/\(s.loggedModelId)")
            #expect(page.status == 200)
            #expect(page.html.contains("<h3>python_function</h3>"))
            #expect(page.html.contains("<dt>sklearn_version</dt><dd><code>1.3.0</code></dd>"))
            #expect(page.html.contains("<tr><td>pixel &lt;0&gt;</td><td><code>double</code></td><td>yes</td></tr>"))
            #expect(page.html.contains("<tr><td>it&#39;s</td><td><code>string</code></td><td>no</td></tr>"))
            #expect(page.html.contains("<tr><td>—</td><td><code>long</code></td><td>yes</td></tr>"))
            #expect(page.html.contains("&quot;pixel &lt;0&gt;&quot;"))
            #expect(page.html.contains("mlflow.pyfunc.load_model(&quot;models:/\(s.loggedModelId)&quot;)"))
            #expect(page.html.contains("data-copy=\"load-snippet\""))
            // Once registered with an alias, the snippet loads it by that alias.
            _ = try await s.store.createModelVersion(
                NewModelVersion(name: "digits-clf", source: "models:/\(s.loggedModelId)", modelId: s.loggedModelId))
            try await s.store.setAlias(name: "digits-clf", alias: "prod", version: 2)
            let registered = try await client.page("/logged-models/\(s.loggedModelId)")
            #expect(registered.html.contains("load_model(&quot;models:/digits-clf@prod&quot;)"))
            #expect(try await client.page("/logged-models/m-0000").status == 404)
        }
    }

    @Test func mlmodelSingleQuotedScalarsFoldAcrossLines() {
        let file = MLmodelFile(text: sampleMLmodel)
        #expect(file.flavors.map(\.name) == ["python_function", "sklearn"])
        #expect(file.inputs?.map(\.name) == ["pixel <0>", "it's"])
        #expect(file.outputs?.first?.type == "long")
        #expect(file.inputExamplePath == "input_example.json")
        #expect(file.fields["mlflow_version"] == "2.9.2")
        #expect(MLmodelFile(text: "flavors: [\nsignature:\n  inputs: 'nope'").inputs == nil)
    }

    @Test func scriptMapsMLflowFragmentsAndRemembersChoices() async throws {
        try await withUIServer { client, _ in
            let script = try await client.page("/static/cairn.js")
            #expect(script.status == 200)
            for part in ["function mlflowLink", "\"/runs/\" + enc(parts[3])", "cairn.columns.", "cairn.autorefresh"] {
                #expect(script.html.contains(part))
            }
        }
    }

    @Test func runningRunsOfferAutoRefreshAndNumbersShowTheirFullValue() async throws {
        try await withUIServer { client, s in
            let finished = try await client.page("/runs/\(s.runIds[0])")
            #expect(!finished.html.contains("data-autorefresh"))
            let running = try await client.page("/runs/\(s.parentId)")
            #expect(running.html.contains("data-autorefresh=\"15\""))
            #expect(running.html.contains("Compare its 2 child runs"))
            let list = try await client.page("/experiments/\(s.experimentId)")
            #expect(list.html.contains("data-autorefresh"))
            try await s.store.logMetric(
                runId: s.runIds[0], metric: Metric(key: "precise", value: 0.123456789, timestamp: 0, step: 0))
            let run = try await client.page("/runs/\(s.runIds[0])")
            #expect(run.html.contains("<span title=\"0.123456789\">0.1235</span>"))
        }
    }
}
