import CairnAuth
import CairnCore
import CairnStore
import Hummingbird

/// `POST /graphql`: the two operations MLflow's web UI sends, `mlflowGetRun` (the run page) and
/// `mlflowGetExperiment` (the experiment page), answered in MLflow's response shape
/// (`{"data": {...}, "errors": null}`, int64 fields as strings, `__typename` on objects).
///
/// This is a fixed-operation resolver, not a GraphQL engine: the query's selection sets are
/// projected onto fully built objects, root arguments come from the request's variables, and any
/// other root field is reported in `errors`.
struct GraphQLRoutes: Sendable {
    let store: any MetadataStore
    /// Permission checks on the run or experiment a query reads.
    let access: ResourceGuard

    func register<Context: RequestContext>(on router: Router<Context>) {
        router.post("graphql") { request, context in
            APIRoutes.json(
                try await self.answer(
                    try await APIRoutes.params(request, context: context, maxBodySize: APIRoutes.smallBodyLimit)))
        }
    }

    func answer(_ p: RequestParams) async throws -> [UInt8] {
        let query = try p.requiredString("query")
        let fields = try GraphQLSelection.parse(query, operationName: try p.string("operationName"))
        let variables = try p.object("variables")
        var errors: [String] = []
        var results: [(GraphQLSelection, GraphValue)] = []
        for field in fields {
            do {
                results.append((field, try await resolve(field.name, variables: variables)))
            } catch let error as MlflowError {
                errors.append(error.message)
                results.append((field, .null))
            }
        }
        var w = JSONWriter()
        w.object { w in
            w.key("data")
            w.object { w in
                for (field, value) in results {
                    w.key(field.responseKey)
                    value.write(selecting: field.children, to: &w)
                }
            }
            w.key("errors")
            if errors.isEmpty {
                w.raw("null")
            } else {
                w.array { w in
                    for e in errors { w.value(e) }
                }
            }
        }
        return w.bytes
    }

    /// The first string named `key` inside the variables (the UI wraps it in an input object).
    static func argument(_ key: String, in variables: RequestParams?) throws(MlflowError) -> String {
        guard let variables else { throw MlflowError.missing(key) }
        if let direct = try? variables.string(key), !direct.isEmpty { return direct }
        if case .json(let object) = variables.source {
            for value in object.values {
                if case .object(let inner) = value, case .string(let s)? = inner[key] { return s }
            }
        }
        throw MlflowError.missing(key)
    }

    func resolve(_ root: String, variables: RequestParams?) async throws -> GraphValue {
        switch root {
        case "mlflowGetRun":
            let runId = try Self.argument("runId", in: variables)
            try await access.require(.read, run: runId)
            let run = try await store.getRun(id: runId)
            let experiment = try await store.getExperiment(id: run.info.experimentId)
            let filter = try? ModelVersionFilter(parsing: "run_id = '\(run.info.runId)'")
            let versions = (try? await store.searchModelVersions(ModelVersionQuery(filter: filter)).items) ?? []
            var runNode = Self.node(run)
            if case .object(let type, var fields) = runNode {
                fields["experiment"] = Self.node(experiment)
                fields["modelVersions"] = .list(versions.map(Self.node))
                runNode = .object(typeName: type, fields: fields)
            }
            return .object(typeName: "MlflowGetRunResponse", fields: ["apiError": .null, "run": runNode])
        case "mlflowGetExperiment":
            let experimentId = try Self.argument("experimentId", in: variables)
            try await access.require(.read, on: GrantKey(.experiment, experimentId))
            let experiment = try await store.getExperiment(id: experimentId)
            return .object(
                typeName: "MlflowGetExperimentResponse",
                fields: ["apiError": .null, "experiment": Self.node(experiment)])
        default:
            throw MlflowError(.badRequest, "Cannot query field '\(root)' on type 'QueryType'.")
        }
    }

    static func tags(_ tags: [KeyValue], type: String) -> GraphValue {
        .list(tags.map { .object(typeName: type, fields: ["key": .string($0.key), "value": .string($0.value)]) })
    }

    static func node(_ e: Experiment) -> GraphValue {
        .object(
            typeName: "MlflowExperiment",
            fields: [
                "experimentId": .string(e.experimentId), "name": .string(e.name),
                "artifactLocation": .string(e.artifactLocation), "lifecycleStage": .string(e.lifecycleStage.rawValue),
                "creationTime": .int64(e.creationTime), "lastUpdateTime": .int64(e.lastUpdateTime),
                "effectiveTraceArchivalRetention": .string(""), "tags": tags(e.tags, type: "MlflowExperimentTag"),
            ])
    }

    static func node(_ v: ModelVersion) -> GraphValue {
        .object(
            typeName: "MlflowModelVersion",
            fields: [
                "name": .string(v.name), "version": .string(String(v.version)), "status": .string(v.status.rawValue),
                "source": .string(v.source), "runId": .string(v.runId ?? ""),
                "currentStage": .string(v.currentStage.rawValue), "description": .string(v.description),
                "creationTimestamp": .int64(v.creationTimestamp),
                "lastUpdatedTimestamp": .int64(v.lastUpdatedTimestamp),
            ])
    }

    static func node(_ run: Run) -> GraphValue {
        let info = run.info
        let infoNode = GraphValue.object(
            typeName: "MlflowRunInfo",
            fields: [
                "runId": .string(info.runId), "runUuid": .string(info.runId), "runName": .string(info.runName),
                "experimentId": .string(info.experimentId), "userId": .string(info.userId),
                "status": .string(info.status.rawValue), "startTime": .int64(info.startTime),
                "endTime": .int64(info.endTime), "artifactUri": .string(info.artifactUri),
                "lifecycleStage": .string(info.lifecycleStage.rawValue),
            ])
        let metrics = GraphValue.list(
            run.metrics.map { m in
                .object(
                    typeName: "MlflowMetricExtension",
                    fields: [
                        "key": .string(m.key), "value": .number(m.value), "step": .int64(m.step),
                        "timestamp": .int64(m.timestamp),
                    ])
            })
        let data = GraphValue.object(
            typeName: "MlflowRunData",
            fields: [
                "metrics": metrics, "params": tags(run.params, type: "MlflowParam"),
                "tags": tags(run.tags, type: "MlflowRunTag"),
            ])
        let datasetInputs = GraphValue.list(
            run.datasetInputs.map { input in
                let d = input.dataset
                return .object(
                    typeName: "MlflowDatasetInput",
                    fields: [
                        "dataset": .object(
                            typeName: "MlflowDataset",
                            fields: [
                                "name": .string(d.name), "digest": .string(d.digest),
                                "sourceType": .string(d.sourceType),
                                "source": .string(d.source), "schema": .string(d.schema ?? ""),
                                "profile": .string(d.profile ?? ""),
                            ]),
                        "tags": tags(input.tags, type: "MlflowInputTag"),
                    ])
            })
        let modelInputs = GraphValue.list(
            run.modelInputs.map { .object(typeName: "MlflowModelInput", fields: ["modelId": .string($0.modelId)]) })
        let modelOutputs = GraphValue.list(
            run.modelOutputs.map {
                .object(
                    typeName: "MlflowModelOutput", fields: ["modelId": .string($0.modelId), "step": .int64($0.step)])
            })
        return .object(
            typeName: "MlflowRunExtension",
            fields: [
                "info": infoNode, "data": data,
                "inputs": .object(
                    typeName: "MlflowRunInputs", fields: ["datasetInputs": datasetInputs, "modelInputs": modelInputs]),
                "outputs": .object(typeName: "MlflowRunOutputs", fields: ["modelOutputs": modelOutputs]),
            ])
    }
}
