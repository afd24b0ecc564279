"""ONNX models logged by the unchanged `mlflow.onnx.log_model` and batch-scored by `cairn predict
--runtime native`: every output must equal onnxruntime's and MLflow's own pyfunc within 1e-5
(relative to max(|value|, 1), float32), labels exactly, on hundreds of rows per model.

Models: scikit-learn estimators converted with skl2onnx at its default opsets (linear, logistic
binary and multiclass, random forests and gradient boosting for both tasks, an imputing/scaling
pipeline, MLPs, a one-hot pipeline with three named inputs, a depth-20 tree, 1,000 stumps, a forest
fed NaNs and all-missing rows) and a small network built with
onnx's protobuf classes (Gemm, MatMul, Relu, Tanh, Sigmoid, Softmax, ArgMax, Reshape, Flatten, Concat, …).
`cairn serve` answers the same models natively (`Cairn-Runtime: native`) with pyfunc's records.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
import uuid
import warnings

import mlflow
import mlflow.onnx
import numpy as np
import onnx
import onnxruntime as ort
import pandas as pd
import pytest
import requests
from onnx import AttributeProto, TensorProto
from skl2onnx import to_onnx
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (GradientBoostingClassifier, GradientBoostingRegressor, RandomForestClassifier,
                              RandomForestRegressor)
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeRegressor

warnings.filterwarnings("ignore")

ROWS = 400
FEATURES = ["f0", "f1", "f2", "f3", "f4"]
TOLERANCE = 1e-5


def _numeric(seed, rows=ROWS, missing=0.0):
    """Normal rows; with `missing`, that share of values and the first five rows entirely are NaN."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, len(FEATURES))).astype(np.float32)
    if missing:
        X[rng.random(X.shape) < missing] = np.nan
        X[:5] = np.nan
    return pd.DataFrame(X, columns=FEATURES)


def _targets(X):
    v = X.fillna(0).values.astype(np.float64)
    y = v @ np.array([1.5, -2.0, 0.5, 1.0, 0.0]) + 0.3 * v[:, 0] * v[:, 3]
    return y, (y > 0).astype(int), np.digitize(y, [-1.0, 1.0])


def _tensor(name, array):
    """An initializer holding `array` (float32 or int64) as raw little-endian bytes."""
    t = TensorProto(name=name, dims=list(array.shape), raw_data=array.tobytes())
    t.data_type = TensorProto.FLOAT if array.dtype == np.float32 else TensorProto.INT64
    return t


def _node(op, inputs, outputs, **attributes):
    node = onnx.NodeProto(op_type=op, input=inputs, output=outputs, name=f"{op}_{outputs[0]}")
    for key, value in attributes.items():
        if isinstance(value, float):
            node.attribute.append(AttributeProto(name=key, type=AttributeProto.FLOAT, f=value))
        elif isinstance(value, int):
            node.attribute.append(AttributeProto(name=key, type=AttributeProto.INT, i=value))
        else:
            node.attribute.append(AttributeProto(name=key, type=AttributeProto.STRING, s=value.encode()))
    return node


def _value(name, element_type, dims):
    info = onnx.ValueInfoProto(name=name)
    info.type.tensor_type.elem_type = element_type
    for d in dims:
        dim = info.type.tensor_type.shape.dim.add()
        if d is None:
            dim.dim_param = "N"
        else:
            dim.dim_value = d
    return info


def _model(nodes, inputs, outputs, initializers=()):
    graph = onnx.GraphProto(name="graph", node=nodes, input=inputs, output=outputs, initializer=list(initializers))
    model = onnx.ModelProto(ir_version=8, graph=graph, opset_import=[onnx.OperatorSetIdProto(domain="", version=17)])
    onnx.checker.check_model(model)
    return model


def _mlp_graph():
    """A small network written by hand: two hidden layers, a score and a class output per row."""
    rng = np.random.default_rng(3)
    init = [
        _tensor("W1", rng.normal(size=(8, 5)).astype(np.float32)),  # used transposed
        _tensor("b1", rng.normal(size=8).astype(np.float32)),
        _tensor("W2", rng.normal(size=(8, 6)).astype(np.float32) * 0.5),
        _tensor("b2", rng.normal(size=6).astype(np.float32)),
        _tensor("W3", rng.normal(size=(12, 3)).astype(np.float32)),
        _tensor("shape", np.array([-1, 6], dtype=np.int64)),
        _tensor("half", np.array([0.5], dtype=np.float32)),
        _tensor("axis1", np.array([1], dtype=np.int64)),
    ]
    nodes = [
        _node("Gemm", ["X", "W1", "b1"], ["h1"], transB=1),
        _node("Relu", ["h1"], ["r1"]),
        _node("MatMul", ["r1", "W2"], ["m2"]),
        _node("Add", ["m2", "b2"], ["a2"]),
        _node("Tanh", ["a2"], ["t2"]),
        _node("Reshape", ["t2", "shape"], ["t2r"]),
        _node("Sigmoid", ["t2r"], ["s2"]),
        _node("Mul", ["s2", "half"], ["s2h"]),
        _node("Concat", ["t2r", "s2h"], ["c"], axis=1),
        _node("Flatten", ["c"], ["cf"], axis=1),
        _node("Gemm", ["cf", "W3"], ["logits"], alpha=0.7),
        _node("Softmax", ["logits"], ["p"], axis=1),
        _node("ReduceSum", ["p", "axis1"], ["total"], keepdims=1),
        _node("Div", ["p", "total"], ["pn"]),
        _node("Gather", ["pn", "axis1"], ["p1"], axis=1),
        _node("Squeeze", ["p1", "axis1"], ["score"]),
        _node("ArgMax", ["logits"], ["class_index"], axis=1, keepdims=0),
        _node("Identity", ["class_index"], ["class"]),
    ]
    return _model(nodes, [_value("X", TensorProto.FLOAT, [None, 5])],
                  [_value("score", TensorProto.FLOAT, [None]), _value("class", TensorProto.INT64, [None])], init)


def _cases():
    """name → (onnx model, input frame, onnxruntime feeds, whether MLflow's pyfunc can score it)."""
    X = _numeric(1)
    y, y_binary, y_multi = _targets(X)
    Xmissing = _numeric(2, missing=0.1)
    _, _, y_missing = _targets(Xmissing)
    sample = X.values[:1]

    def skl(model, target, data=X):
        model.fit(data.values, target)
        return to_onnx(model, sample)

    out = {
        "linear_regression": skl(LinearRegression(), y),
        "logistic_binary": skl(LogisticRegression(), y_binary),
        "logistic_multiclass": skl(LogisticRegression(C=0.5), y_multi),
        "random_forest_regressor": skl(RandomForestRegressor(n_estimators=30, max_depth=8, random_state=0), y),
        "random_forest_classifier": skl(RandomForestClassifier(n_estimators=30, max_depth=8, random_state=0), y_multi),
        "random_forest_binary": skl(RandomForestClassifier(n_estimators=20, max_depth=6, random_state=0), y_binary),
        "gradient_boosting_regressor": skl(GradientBoostingRegressor(n_estimators=60, random_state=0), y),
        "gradient_boosting_binary": skl(GradientBoostingClassifier(n_estimators=40, random_state=0), y_binary),
        "gradient_boosting_multiclass": skl(GradientBoostingClassifier(n_estimators=30, random_state=0), y_multi),
        "impute_scale_logistic": skl(make_pipeline(SimpleImputer(), StandardScaler(), LogisticRegression()),
                                     y_missing, Xmissing),
        # Edge cases: one tree of depth 20, 1,000 stumps, trees fed NaNs (they go to the false branch).
        "deep_tree": skl(DecisionTreeRegressor(max_depth=20, random_state=0), y),
        "thousand_stumps": skl(GradientBoostingClassifier(n_estimators=1000, max_depth=1, random_state=0), y_binary),
        "forest_with_missing": skl(RandomForestRegressor(n_estimators=20, max_depth=8, random_state=0), y),
        "mlp_regressor": skl(MLPRegressor(hidden_layer_sizes=(16, 8), max_iter=300, random_state=0), y),
        "mlp_classifier": skl(MLPClassifier(hidden_layer_sizes=(16,), max_iter=300, random_state=0), y_multi),
        "hand_built_mlp": _mlp_graph(),
    }
    cases = {}
    for name, model in out.items():
        missing = 0.15 if name == "forest_with_missing" else 0.0
        frame = Xmissing if name == "impute_scale_logistic" else _numeric(10 + len(cases), missing=missing)
        cases[name] = (model, frame, {model.graph.input[0].name: frame.values.astype(np.float32)}, True)
    # Three named inputs (two numbers, one category): MLflow's pyfunc feeds each column as a 1-D
    # array, which onnxruntime refuses for these [N, 1] inputs, so onnxruntime is the reference.
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"a": rng.normal(size=ROWS).astype(np.float32), "b": rng.normal(size=ROWS).astype(np.float32),
                          "c": rng.choice(["red", "green", "blue"], ROWS)})
    labels = ((frame.a + (frame.c == "red")) > 0.3).astype(int)
    pipe = make_pipeline(ColumnTransformer([("num", StandardScaler(), ["a", "b"]), ("cat", OneHotEncoder(), ["c"])]),
                         LogisticRegression()).fit(frame, labels)
    model = to_onnx(pipe, frame[:1])
    feeds = {"a": frame.a.values.reshape(-1, 1), "b": frame.b.values.reshape(-1, 1),
             "c": np.array(frame.c.tolist(), dtype=object).reshape(-1, 1)}
    cases["one_hot_pipeline"] = (model, frame, feeds, False)
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def logged(server):
    """Each case logged with mlflow.onnx.log_model and registered; name → models:/ URI."""
    mlflow.set_experiment(f"native-onnx-{uuid.uuid4().hex[:8]}")
    suffix = uuid.uuid4().hex[:6]
    uris = {}
    for name, (model, frame, _, pyfunc_ok) in CASES.items():
        with mlflow.start_run():
            example = frame.iloc[:3] if pyfunc_ok else None
            info = mlflow.onnx.log_model(model, name="model", input_example=example)
        version = mlflow.register_model(info.model_uri, f"onnx-{name}-{suffix}")
        uris[name] = f"models:/{version.name}/{version.version}"
    return uris


def _cairn_predict(cairn_bin, server, uri, frame, tmp_path):
    source = tmp_path / "rows.csv"
    frame.to_csv(source, index=False)
    target = tmp_path / "scored.jsonl"
    out = subprocess.run(
        [cairn_bin, "predict", uri, "--input", str(source), "--output", str(target), "--runtime", "native",
         "--tracking-uri", server.url, "--cache", str(tmp_path / "cache"), "--quiet"],
        capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line)["prediction"] for line in target.read_text().splitlines()]
    assert len(rows) == len(frame)
    return rows


def _column(values):
    """A list of cells as an array: maps become a rows × labels matrix ordered by label."""
    if isinstance(values[0], dict):
        keys = sorted(values[0], key=lambda k: (str(type(k)), k))
        return np.array([[float(v[k]) for k in keys] for v in values]), [str(k) for k in keys]
    return np.asarray(values), None


def _assert_close(name, got, expected):
    got, got_keys = _column(list(got))
    expected, expected_keys = _column(list(expected))
    assert got_keys == expected_keys, (name, got_keys, expected_keys)
    assert got.shape == expected.shape, (name, got.shape, expected.shape)
    if expected.dtype.kind in "fc" or got.dtype.kind == "f":
        error = np.abs(got.astype(np.float64) - expected.astype(np.float64))
        bound = TOLERANCE * np.maximum(np.abs(expected.astype(np.float64)), 1.0)
        assert np.all(error <= bound), (name, float(error.max()))
    else:
        assert np.array_equal(got.astype(expected.dtype), expected), name


@pytest.mark.parametrize("name", sorted(CASES))
def test_native_onnx_equals_onnxruntime_and_pyfunc(name, logged, cairn_bin, server, tmp_path):
    model, frame, feeds, pyfunc_ok = CASES[name]
    rows = _cairn_predict(cairn_bin, server, logged[name], frame, tmp_path)
    outputs = [o.name for o in model.graph.output]
    native = {o: [r[o] for r in rows] for o in outputs}

    reference = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    for o, value in zip(outputs, reference.run(outputs, feeds)):
        expected = value if isinstance(value, list) else np.asarray(value).reshape(-1)
        _assert_close(f"{name}:{o} vs onnxruntime", native[o], expected)

    if pyfunc_ok:
        predicted = mlflow.pyfunc.load_model(logged[name]).predict(frame)
        assert list(predicted.columns) == outputs
        for o in outputs:
            _assert_close(f"{name}:{o} vs pyfunc", native[o], predicted[o].tolist())


def test_unsupported_operator_is_named(logged, cairn_bin, server, tmp_path):
    model = _model([_node("Einsum", ["X", "X"], ["Y"], equation="ij,ij->i")],
                   [_value("X", TensorProto.FLOAT, [None, 5])], [_value("Y", TensorProto.FLOAT, [None])])
    with mlflow.start_run():
        info = mlflow.onnx.log_model(model, name="model")
    version = mlflow.register_model(info.model_uri, f"onnx-einsum-{uuid.uuid4().hex[:6]}")
    frame = _numeric(30, rows=5)
    source = tmp_path / "rows.csv"
    frame.to_csv(source, index=False)
    out = subprocess.run(
        [cairn_bin, "predict", f"models:/{version.name}/{version.version}", "--input", str(source), "--output", str(tmp_path / "o.jsonl"),
         "--runtime", "native", "--tracking-uri", server.url, "--cache", str(tmp_path / "cache")],
        capture_output=True, text=True, timeout=300)
    assert out.returncode == 1
    assert "Einsum" in out.stderr and "not supported" in out.stderr, out.stderr


@pytest.mark.parametrize("name", ["logistic_binary", "hand_built_mlp", "gradient_boosting_multiclass"])
def test_cairn_serve_answers_natively_with_pyfunc_records(name, logged, cairn_bin, server, free_port, tmp_path):
    model, frame, _, _ = CASES[name]
    rows = frame.iloc[:50]
    port = free_port()
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen([cairn_bin, "serve", logged[name], "--port", str(port), "--tracking-uri", server.url,
                             "--cache", str(tmp_path / "cache")], stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while time.time() < deadline:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if requests.get(url + "/ping", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        body = {"dataframe_split": rows.to_dict(orient="split") | {"index": None}}
        r = requests.post(url + "/invocations", json=body, timeout=30)
        assert r.status_code == 200, r.text
        assert r.headers["Cairn-Runtime"] == "native"
        got = r.json()["predictions"]
        expected = mlflow.pyfunc.load_model(logged[name]).predict(rows)
        assert len(got) == len(rows)
        for o in [o.name for o in model.graph.output]:
            _assert_close(f"{name}:{o} served", [g[o] for g in got],
                          [{str(k): v for k, v in e.items()} if isinstance(e, dict) else e for e in expected[o]])
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
        log.close()
