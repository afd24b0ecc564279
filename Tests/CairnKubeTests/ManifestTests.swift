import Testing

@testable import CairnKube

let digestImage = "registry.example.com/mlops/churn@sha256:" + String(repeating: "a", count: 64)

func options(_ rollout: ManifestOptions.Rollout = .inprocess) -> ManifestOptions {
    var o = ManifestOptions(name: "churn", image: digestImage, modelName: "churn", modelVersion: "3")
    o.rollout = rollout
    return o
}

func kinds(_ docs: [YAMLValue]) -> [String] {
    docs.compactMap { if case .string(let k)? = $0["kind"] { k } else { nil } }
}

func container(_ workload: YAMLValue) -> YAMLValue? {
    if case .list(let items)? = workload["spec"]?["template"]?["spec"]?["containers"] { return items.first }
    return nil
}

@Test func plainServiceHasTheHardenedDeploymentAndItsCompanions() throws {
    let docs = ModelManifests.documents(options())
    #expect(kinds(docs) == ["ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"])
    let deployment = docs[1]
    let c = try #require(container(deployment))
    #expect(c["image"] == .string(digestImage))
    #expect(c["securityContext"]?["readOnlyRootFilesystem"] == true)
    #expect(c["securityContext"]?["allowPrivilegeEscalation"] == false)
    #expect(c["securityContext"]?["capabilities"]?["drop"] == ["ALL"])
    #expect(c["readinessProbe"]?["httpGet"]?["path"] == "/v2/health/ready")
    #expect(c["livenessProbe"]?["httpGet"]?["path"] == "/v2/health/live")
    let pod = deployment["spec"]?["template"]?["spec"]
    #expect(pod?["securityContext"]?["runAsUser"] == .int(65532))
    #expect(pod?["securityContext"]?["seccompProfile"]?["type"] == "RuntimeDefault")
    #expect(pod?["terminationGracePeriodSeconds"] == .int(30))
    #expect(deployment["spec"]?["template"]?["metadata"]?["annotations"]?["prometheus.io/scrape"] == "true")
}

@Test func inProcessCanaryAndShadowBecomeServeArguments() throws {
    var o = options()
    o.canary = "models:/churn/4"
    o.canaryPercent = 20
    o.shadow = "models:/churn@challenger"
    let docs = ModelManifests.documents(o)
    #expect(kinds(docs).filter { $0 == "Deployment" }.count == 1)
    let args = try #require(container(docs[1])?["args"])
    #expect(
        args == [
            "--host", "0.0.0.0", "--port", "8080", "--canary", "models:/churn/4", "--canary-percent", "20", "--shadow",
            "models:/churn@challenger",
        ])
}

@Test func istioSplitsByWeightAndMirrors() throws {
    var o = options(.istio)
    o.canary = "models:/churn/4"
    o.canaryPercent = 10
    o.shadow = "models:/churn/5"
    let docs = ModelManifests.documents(o)
    #expect(
        kinds(docs) == [
            "ConfigMap", "Deployment", "Deployment", "Deployment", "Service", "DestinationRule", "VirtualService",
            "HorizontalPodAutoscaler", "PodDisruptionBudget",
        ])
    let canary = docs[2]
    #expect(canary["metadata"]?["name"] == "churn-canary")
    #expect(container(canary)?["command"] == ["/app/cairn", "serve", "models:/churn/4"])
    let route = docs[6]["spec"]?["http"]
    guard case .list(let routes)? = route, case .list(let destinations)? = routes.first?["route"] else {
        Issue.record("no http route")
        return
    }
    #expect(destinations.map { $0["weight"] } == [.int(90), .int(10)])
    #expect(routes.first?["mirror"]?["subset"] == "shadow")
}

@Test func argoRolloutHasCanarySteps() throws {
    var o = options(.argo)
    o.canary = "models:/churn/4"
    let docs = ModelManifests.documents(o)
    #expect(
        kinds(docs) == ["ConfigMap", "Rollout", "Service", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"])
    let strategy = docs[1]["spec"]?["strategy"]?["canary"]
    #expect(strategy?["canaryService"] == "churn-canary")
    guard case .list(let steps)? = strategy?["steps"] else {
        Issue.record("no steps")
        return
    }
    #expect(steps.first?["setWeight"] == .int(10))
    #expect(docs[4]["spec"]?["scaleTargetRef"]?["kind"] == "Rollout")
}

@Test func batchJobIsIndexedAndShardsByCompletionIndex() throws {
    let job = BatchJobManifests.job(
        options(), modelPath: "/models/churn/3",
        batch: BatchOptions(input: "/data/in.csv", output: "/data/out/", shards: 8, parallelism: 4, claim: "scores"))
    #expect(job["spec"]?["completionMode"] == "Indexed")
    #expect(job["spec"]?["completions"] == .int(8) && job["spec"]?["parallelism"] == .int(4))
    let args = try #require(container(job)?["args"])
    #expect(
        args == [
            "predict", "/models/churn/3", "--input", "/data/in.csv", "--output",
            "/data/out/part-$(JOB_COMPLETION_INDEX).csv",
            "--shard", "$(JOB_COMPLETION_INDEX)/8",
        ])
}

@Test func yamlQuotesWhatWouldChangeType() throws {
    let yaml = try YAMLValue.render([
        .map([("a", "1"), ("b", "true"), ("c", "plain text"), ("d", 1), ("e", ""), ("f", "x: y")])
    ])
    #expect(yaml == "a: \"1\"\nb: \"true\"\nc: plain text\nd: 1\ne: \"\"\nf: \"x: y\"\n")
    let two = try YAMLValue.render([.map([("k", "v")]), .map([("k", "w")])])
    #expect(two == "k: v\n---\nk: w\n")
}

@Test func namesAreDNSLabels() {
    #expect(KubeName.from("Churn_Model v2") == "churn-model-v2")
    #expect(KubeName.from("--x--") == "x")
    #expect(KubeName.from(String(repeating: "a", count: 80)).count == 63)
    #expect(!KubeName.isValid("Bad_Name") && KubeName.isValid("good-name"))
}

@Test func trackingServerKeepsOneWriterOnSQLite() {
    var t = ServiceManifests.Tracking(image: digestImage)
    let docs = ServiceManifests.tracking(t)
    #expect(kinds(docs) == ["PersistentVolumeClaim", "Deployment", "Service"])
    #expect(docs[1]["spec"]?["strategy"]?["type"] == "Recreate")
    t.backendSecret = "cairn-db"
    t.replicas = 3
    let shared = ServiceManifests.tracking(t)
    #expect(shared[1]["spec"]?["strategy"]?["type"] == "RollingUpdate")
    #expect(shared[0]["spec"]?["accessModes"] == ["ReadWriteMany"])
}

@Test func batchJobOnAFolderWritesFilesUnderTheirOwnNames() throws {
    let job = BatchJobManifests.job(
        options(), modelPath: "/models/churn/3",
        batch: BatchOptions(input: "/data/days", output: "/data/scored", shards: 3, claim: "scores"))
    let args = try #require(container(job)?["args"])
    #expect(
        args == [
            "predict", "/models/churn/3", "--input", "/data/days", "--output", "/data/scored", "--shard",
            "$(JOB_COMPLETION_INDEX)/3",
        ])
    #expect(job["spec"]?["parallelism"] == .int(3))
}
