import Testing

@testable import CairnKube

/// The pod spec of a Deployment or Rollout.
func podSpec(_ workload: YAMLValue) -> YAMLValue? { workload["spec"]?["template"]?["spec"] }

/// Checks that a workload mounts the Secret and passes the token file, with probes unchanged.
func expectGuarded(_ workload: YAMLValue, secret: String) throws {
    let pod = try #require(podSpec(workload))
    let c = try #require(container(workload))
    guard case .list(let args)? = c["args"] else { throw ManifestShapeError() }
    #expect(Array(args.suffix(2)) == ["--auth-token-file", "/var/run/cairn/tokens"])
    guard case .list(let volumes)? = pod["volumes"], case .list(let mounts)? = c["volumeMounts"] else {
        throw ManifestShapeError()
    }
    let volume = try #require(volumes.first { $0["name"] == "auth-tokens" })
    #expect(volume["secret"]?["secretName"] == .string(secret))
    #expect(volume["secret"]?["defaultMode"] == .int(0o440))
    #expect(volume["secret"]?["items"] == [.map([("key", "tokens"), ("path", "tokens")])])
    let mount = try #require(mounts.first { $0["name"] == "auth-tokens" })
    #expect(mount["mountPath"] == "/var/run/cairn")
    #expect(mount["readOnly"] == true)
}

struct ManifestShapeError: Error {}

@Test(arguments: ManifestOptions.Rollout.allCases)
func everyModelServerMountsTheTokenSecret(rollout: ManifestOptions.Rollout) throws {
    var o = options(rollout)
    o.canary = "models:/churn/4"
    if rollout != .argo { o.shadow = "models:/churn/5" }
    o.authSecret = "churn-tokens"
    let workloads = ModelManifests.documents(o).filter { $0["kind"] == "Deployment" || $0["kind"] == "Rollout" }
    #expect(workloads.count == (rollout == .istio ? 3 : 1))
    for workload in workloads {
        try expectGuarded(workload, secret: "churn-tokens")
        let c = try #require(container(workload))
        #expect(c["readinessProbe"]?["httpGet"]?["path"] == "/v2/health/ready")
        #expect(c["livenessProbe"]?["httpGet"]?["path"] == "/v2/health/live")
    }
}

@Test func withoutASecretNothingIsMounted() throws {
    let docs = ModelManifests.documents(options())
    let c = try #require(container(docs[1]))
    guard case .list(let args)? = c["args"] else { throw ManifestShapeError() }
    #expect(!args.contains("--auth-token-file"))
    #expect(podSpec(docs[1])?["volumes"] == [PodSpec.tmpVolume])
    let asr = ServiceManifests.asr(image: digestImage, namespace: nil, replicas: 2)
    #expect(container(asr[0])?["args"] == ["--host", "0.0.0.0", "--port", "8000"])
}

@Test func theRecognitionServiceMountsTheTokenSecret() throws {
    let docs = ServiceManifests.asr(image: digestImage, namespace: "speech", replicas: 2, authSecret: "asr-tokens")
    try expectGuarded(docs[0], secret: "asr-tokens")
    #expect(container(docs[0])?["readinessProbe"]?["httpGet"]?["path"] == "/health")
}
