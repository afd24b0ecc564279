"""`cairn k8s manifests`: golden files for a fixed input, strict schema validation of the built-in kinds with
kubernetes-validate at Kubernetes 1.32.0, and a schema the tests carry for the Istio and Argo Rollouts kinds
(built from their published field names), since no offline validator knows those CRDs.

Regenerate the golden files after an intended change with UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

KUBERNETES_VERSION = "1.32.0"
GOLDEN = Path(__file__).parent / "golden" / "k8s"
IMAGE = "registry.example.com/mlops/churn:3@sha256:" + "ab" * 32
SERVICE_IMAGE = "registry.example.com/mlops/cairn@sha256:" + "cd" * 32

CASES = {
    "plain": ["models:/churn/3", "--image", IMAGE, "--namespace", "mlops"],
    "inprocess-canary-shadow": [
        "models:/churn/3", "--image", IMAGE, "--canary", "models:/churn/4", "--canary-percent", "10",
        "--shadow", "models:/churn@challenger",
    ],
    "istio-canary-shadow": [
        "models:/churn/3", "--image", IMAGE, "--rollout", "istio", "--canary", "models:/churn/4",
        "--canary-percent", "10", "--shadow", "models:/churn/5", "--replicas", "3",
    ],
    "argo-canary": [
        "models:/churn/3", "--image", IMAGE, "--rollout", "argo", "--canary", "models:/churn/4",
        "--canary-percent", "5",
    ],
    "batch": [
        "models:/churn/3", "--image", IMAGE, "--batch", "--batch-input", "/data/customers.csv",
        "--batch-output", "/data/scored", "--shards", "8", "--parallelism", "4",
    ],
    "tracking": ["--service", "tracking", "--image", SERVICE_IMAGE],
    "tracking-shared": ["--service", "tracking", "--image", SERVICE_IMAGE, "--replicas", "3",
                        "--backend-secret", "cairn-db", "--artifact-root", "s3://mlops/artifacts"],
    "asr": ["--service", "asr", "--image", SERVICE_IMAGE, "--namespace", "speech"],
    "istio-auth": [
        "models:/churn/3", "--image", IMAGE, "--rollout", "istio", "--canary", "models:/churn/4",
        "--shadow", "models:/churn/5", "--auth-secret", "churn-tokens",
    ],
    "argo-auth": ["models:/churn/3", "--image", IMAGE, "--rollout", "argo", "--canary", "models:/churn/4",
                  "--auth-secret", "churn-tokens"],
    "asr-auth": ["--service", "asr", "--image", SERVICE_IMAGE, "--auth-secret", "asr-tokens"],
}

# Field names from the Istio networking v1 and Argo Rollouts v1alpha1 references; unknown fields are errors.
_STRING = {"type": "string"}
_INT = {"type": "integer"}
_METADATA = {"type": "object", "required": ["name"], "properties": {"name": _STRING}}
_DESTINATION = {
    "type": "object", "additionalProperties": False, "required": ["host"],
    "properties": {"host": _STRING, "subset": _STRING,
                   "port": {"type": "object", "additionalProperties": False, "properties": {"number": _INT}}},
}
CRD_SCHEMAS = {
    ("networking.istio.io/v1", "DestinationRule"): {
        "type": "object", "required": ["apiVersion", "kind", "metadata", "spec"],
        "properties": {"metadata": _METADATA, "spec": {
            "type": "object", "additionalProperties": False, "required": ["host"],
            "properties": {"host": _STRING, "subsets": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["name"],
                "properties": {"name": _STRING, "labels": {"type": "object", "additionalProperties": _STRING}}}}}}},
    },
    ("networking.istio.io/v1", "VirtualService"): {
        "type": "object", "required": ["apiVersion", "kind", "metadata", "spec"],
        "properties": {"metadata": _METADATA, "spec": {
            "type": "object", "additionalProperties": False, "required": ["hosts", "http"],
            "properties": {"hosts": {"type": "array", "items": _STRING}, "http": {"type": "array", "items": {
                "type": "object", "additionalProperties": False,
                "properties": {
                    "name": _STRING,
                    "route": {"type": "array", "items": {
                        "type": "object", "additionalProperties": False, "required": ["destination"],
                        "properties": {"destination": _DESTINATION,
                                       "weight": {"type": "integer", "minimum": 0, "maximum": 100}}}},
                    "mirror": _DESTINATION,
                    "mirrorPercentage": {"type": "object", "additionalProperties": False,
                                         "properties": {"value": {"type": "number"}}},
                }}}}}},
    },
    ("argoproj.io/v1alpha1", "Rollout"): {
        "type": "object", "required": ["apiVersion", "kind", "metadata", "spec"],
        "properties": {"metadata": _METADATA, "spec": {
            "type": "object", "additionalProperties": False, "required": ["selector", "template", "strategy"],
            "properties": {
                "replicas": _INT, "revisionHistoryLimit": _INT, "selector": {"type": "object"},
                "template": {"type": "object"},
                "strategy": {"type": "object", "additionalProperties": False, "properties": {"canary": {
                    "type": "object", "additionalProperties": False,
                    "properties": {
                        "canaryService": _STRING, "stableService": _STRING, "maxSurge": {}, "maxUnavailable": {},
                        "steps": {"type": "array", "items": {
                            "type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": False,
                            "properties": {
                                "setWeight": {"type": "integer", "minimum": 0, "maximum": 100},
                                "pause": {"type": "object", "additionalProperties": False,
                                          "properties": {"duration": _STRING}},
                            }}},
                    }}}},
            }}},
    },
}


def manifests(cairn_bin: str, args: list[str]) -> str:
    env = {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}
    result = subprocess.run([cairn_bin, "k8s", "manifests", *args], capture_output=True, text=True, env=env,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("case", sorted(CASES))
def test_manifests_match_golden_and_validate(cairn_bin, case):
    text = manifests(cairn_bin, CASES[case])
    golden = GOLDEN / f"{case}.yaml"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text)
    assert golden.exists(), f"no golden file {golden}; run with UPDATE_GOLDEN=1"
    assert text == golden.read_text(), f"{case}: output differs from {golden}"
    documents = [d for d in yaml.safe_load_all(text) if d]
    assert documents
    for document in documents:
        key = (document["apiVersion"], document["kind"])
        if key in CRD_SCHEMAS:
            jsonschema.validate(document, CRD_SCHEMAS[key])
            if document["kind"] == "Rollout":  # its pod template is a Kubernetes pod template: check it strictly
                as_deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": document["metadata"],
                                 "spec": {k: document["spec"][k] for k in ("replicas", "selector", "template")}}
                kubernetes_validate.validate(as_deployment, KUBERNETES_VERSION, strict=True)
        else:
            kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_validators_reject_broken_manifests(cairn_bin):
    documents = list(yaml.safe_load_all(manifests(cairn_bin, CASES["istio-canary-shadow"])))
    deployment = next(d for d in documents if d["kind"] == "Deployment")
    deployment["spec"]["template"]["spec"]["containers"][0]["securityContext"]["readOnlyRootFilesytem"] = True
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)
    service = next(d for d in documents if d["kind"] == "VirtualService")
    service["spec"]["http"][0]["mirrorPercent"] = 100
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(service, CRD_SCHEMAS[("networking.istio.io/v1", "VirtualService")])


def test_security_and_rollout_settings(cairn_bin):
    docs = list(yaml.safe_load_all(manifests(cairn_bin, CASES["istio-canary-shadow"])))
    deployments = [d for d in docs if d["kind"] == "Deployment"]
    assert [d["metadata"]["labels"]["track"] for d in deployments] == ["stable", "canary", "shadow"]
    for d in deployments:
        pod = d["spec"]["template"]["spec"]
        container = pod["containers"][0]
        assert container["image"] == IMAGE
        assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] == 65532
        assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
    service = next(d for d in docs if d["kind"] == "VirtualService")
    weights = [r["weight"] for r in service["spec"]["http"][0]["route"]]
    assert weights == [90, 10]
    assert service["spec"]["http"][0]["mirror"]["subset"] == "shadow"


@pytest.mark.parametrize("case,secret,probes", [
    ("istio-auth", "churn-tokens", {"/v2/health/live", "/v2/health/ready"}),
    ("argo-auth", "churn-tokens", {"/v2/health/live", "/v2/health/ready"}),
    ("asr-auth", "asr-tokens", {"/health"}),
])
def test_auth_secret_is_mounted_read_only_and_probes_stay_open(cairn_bin, case, secret, probes):
    docs = [d for d in yaml.safe_load_all(manifests(cairn_bin, CASES[case])) if d]
    assert not [d for d in docs if d["kind"] == "Secret"], "the manifests must carry no secret"
    workloads = [d for d in docs if d["kind"] in ("Deployment", "Rollout")]
    assert len(workloads) == (3 if case == "istio-auth" else 1)
    for workload in workloads:
        pod = workload["spec"]["template"]["spec"]
        container = pod["containers"][0]
        assert container["args"][-2:] == ["--auth-token-file", "/var/run/cairn/tokens"]
        volume = next(v for v in pod["volumes"] if "secret" in v)
        # 0440: the pod's group (fsGroup 65532) reads it, other users do not (the server refuses that).
        assert volume["secret"] == {"secretName": secret, "defaultMode": 0o440,
                                    "items": [{"key": "tokens", "path": "tokens"}]}
        mount = next(m for m in container["volumeMounts"] if m["name"] == volume["name"])
        assert mount == {"name": volume["name"], "mountPath": "/var/run/cairn", "readOnly": True}
        used = {container[p]["httpGet"]["path"] for p in ("startupProbe", "livenessProbe", "readinessProbe")}
        assert used == probes


def test_bad_input_is_refused_clearly(cairn_bin):
    def refused(args, message):
        result = subprocess.run([cairn_bin, "k8s", "manifests", *args], capture_output=True, text=True, timeout=60)
        assert result.returncode != 0
        assert message in result.stderr, result.stderr

    refused(["models:/churn/3", "--image", "registry.example.com/churn:3"], "pinned by digest")
    refused(["models:/churn/3", "--image", IMAGE, "--batch"], "--batch-input")
    refused(["models:/churn/3", "--image", IMAGE, "--canary-percent", "120"], "--canary-percent")
    refused(["--service", "tracking", "--image", SERVICE_IMAGE, "--replicas", "2"], "--backend-secret")
    refused(["models:/churn/3", "--image", IMAGE, "--rollout", "argo", "--shadow", "models:/churn/4"], "mesh")
    refused(["--service", "tracking", "--image", SERVICE_IMAGE, "--auth-secret", "t"], "tracking server")
    refused(["models:/churn/3", "--image", IMAGE, "--batch", "--batch-input", "/data/a.csv", "--batch-output",
             "/data/out", "--auth-secret", "t"], "--auth-secret")
    refused(["models:/churn/3", "--image", IMAGE, "--auth-secret", "Bad_Name"], "not a valid Kubernetes name")
