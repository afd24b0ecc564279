"""Native XGBoost and LightGBM scoring (`cairn predict --runtime native`) against the libraries.

Models are trained here (regression, binary, multiclass; NaNs; categorical features; a single tree,
a stump, depth 20, 1,000 trees; all-missing rows), logged with `mlflow.xgboost.log_model` /
`mlflow.lightgbm.log_model` to the suite's Cairn server and scored by the Swift runtime. Outputs
must equal both the library's own `predict` and `mlflow.pyfunc.load_model(uri).predict(df)`.

Exactness: the maximum absolute difference is 0 for every case. Both libraries' CPU predict is
deterministic (each row's sum runs tree by tree in a fixed order: float32 in XGBoost, double in
LightGBM), and the runtime repeats that order and the libraries' link functions, so nothing is
left to a tolerance.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path

import lightgbm as lgb
import mlflow
import numpy as np
import pandas as pd
import pytest
import xgboost as xgb

ROWS = 400


def _frame(rng, columns=5):
    X = rng.normal(size=(ROWS, columns))
    X[rng.random(X.shape) < 0.15] = np.nan
    X[:5] = np.nan  # all-missing rows
    return pd.DataFrame(X, columns=[f"f{i}" for i in range(columns)])


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(16)
    X = _frame(rng)
    f = X.fillna(0).values
    y_reg = 2 * f[:, 0] + f[:, 1] ** 2 + rng.normal(scale=0.1, size=ROWS)
    y_bin = (y_reg > 1).astype(int)
    y_mc = np.digitize(y_reg, [0, 1.5])
    y_count = rng.poisson(np.exp(np.clip(f[:, 0], -2, 2)))
    cat = rng.integers(0, 12, ROWS).astype(float)
    cat[::11] = np.nan
    Xc = pd.DataFrame({"a": X["f0"], "b": X["f1"], "c": cat})
    y_cat = Xc["a"].fillna(0).values + np.isin(cat, [1, 4, 7]) * 2
    return {"X": X, "reg": y_reg, "bin": y_bin, "mc": y_mc, "count": y_count, "Xc": Xc, "cat": y_cat}


def _xgb(params, X, y, rounds, categorical=False):
    types = ["q", "q", "c"] if categorical else None
    d = xgb.DMatrix(X, label=y, feature_types=types, enable_categorical=categorical)
    booster = xgb.train(params, d, rounds)
    predict = lambda frame: booster.predict(  # noqa: E731
        xgb.DMatrix(frame, feature_types=types, enable_categorical=categorical))
    return booster, predict


def _lgb(params, X, y, rounds, categorical=None):
    booster = lgb.train(dict(params, verbose=-1), lgb.Dataset(X, y, categorical_feature=categorical or "auto"), rounds)
    return booster, booster.predict


def _cases(d):
    """name → (flavor, model, library predict, input frame, pyfunc comparable)."""
    X, Xc = d["X"], d["Xc"]
    out = {}
    for name, params, y, rounds in [
        ("xgb-reg", {"objective": "reg:squarederror", "max_depth": 5}, d["reg"], 60),
        ("xgb-logistic", {"objective": "reg:logistic", "max_depth": 4}, d["bin"], 30),
        ("xgb-binary", {"objective": "binary:logistic", "max_depth": 4}, d["bin"], 40),
        ("xgb-logitraw", {"objective": "binary:logitraw", "max_depth": 4}, d["bin"], 40),
        ("xgb-softprob", {"objective": "multi:softprob", "num_class": 3, "max_depth": 4}, d["mc"], 30),
        ("xgb-softmax", {"objective": "multi:softmax", "num_class": 3, "max_depth": 4}, d["mc"], 30),
        ("xgb-poisson", {"objective": "count:poisson", "max_depth": 4}, d["count"], 30),
        ("xgb-tweedie", {"objective": "reg:tweedie", "max_depth": 4}, d["count"], 30),
        ("xgb-single-tree", {"objective": "reg:squarederror", "max_depth": 6}, d["reg"], 1),
        ("xgb-stump", {"objective": "reg:squarederror", "max_depth": 1}, d["reg"], 1),
        ("xgb-depth20", {"objective": "reg:squarederror", "max_depth": 20, "min_child_weight": 0, "lambda": 0},
         d["reg"], 5),
        ("xgb-1000-trees", {"objective": "binary:logistic", "max_depth": 3, "eta": 0.05}, d["bin"], 1000),
    ]:
        booster, predict = _xgb(params, X, y, rounds)
        out[name] = ("xgboost", booster, predict, X, True)
    booster, predict = _xgb({"objective": "reg:squarederror", "max_depth": 4, "max_cat_to_onehot": 1}, Xc, d["cat"], 30,
                            categorical=True)
    # pyfunc builds DMatrix(df) without enable_categorical, which XGBoost refuses for a categorical model.
    out["xgb-categorical"] = ("xgboost", booster, predict, Xc, False)
    clf = xgb.XGBClassifier(n_estimators=200, max_depth=3, early_stopping_rounds=5)
    clf.fit(X[:300], d["mc"][:300], eval_set=[(X[300:], d["mc"][300:])], verbose=False)
    out["xgb-classifier-early-stopping"] = ("xgboost", clf, clf.predict, X, True)
    reg = xgb.XGBRegressor(n_estimators=300, max_depth=4, early_stopping_rounds=3)
    reg.fit(X[:300], d["reg"][:300], eval_set=[(X[300:], d["reg"][300:])], verbose=False)
    out["xgb-regressor-early-stopping"] = ("xgboost", reg, reg.predict, X, True)

    Xn = X.fillna(0)
    for name, params, y, rounds, frame, cats in [
        ("lgb-regression", {"objective": "regression"}, d["reg"], 50, X, None),
        ("lgb-binary", {"objective": "binary"}, d["bin"], 50, X, None),
        ("lgb-binary-sigmoid", {"objective": "binary", "sigmoid": 0.7}, d["bin"], 20, X, None),
        ("lgb-multiclass", {"objective": "multiclass", "num_class": 3}, d["mc"], 30, X, None),
        ("lgb-poisson", {"objective": "poisson"}, d["count"], 30, X, None),
        ("lgb-zero-as-missing", {"objective": "regression", "zero_as_missing": True}, d["reg"], 30, X, None),
        ("lgb-linear-tree", {"objective": "regression", "linear_tree": True}, d["reg"], 20, X, None),
        ("lgb-categorical", {"objective": "regression", "min_data_per_group": 5, "cat_smooth": 1}, d["cat"], 30, Xc,
         ["c"]),
        ("lgb-single-tree", {"objective": "regression"}, d["reg"], 1, X, None),
        ("lgb-stump", {"objective": "regression", "num_leaves": 2}, d["reg"], 1, X, None),
        ("lgb-depth20", {"objective": "regression", "num_leaves": 400, "max_depth": 20, "min_data_in_leaf": 1,
                         "min_sum_hessian_in_leaf": 0}, d["reg"], 3, X, None),
        ("lgb-1000-trees", {"objective": "binary", "num_leaves": 7}, d["bin"], 1000, X, None),
    ]:
        booster, predict = _lgb(params, frame, y, rounds, cats)
        out[name] = ("lightgbm", booster, predict, frame, True)
    # Trained without missing values (missing type None), scored with NaNs: NaN is read as 0.
    booster, predict = _lgb({"objective": "regression"}, Xn, d["reg"], 30)
    out["lgb-no-missing-at-training"] = ("lightgbm", booster, predict, X, True)
    return out


@pytest.fixture(scope="module")
def logged(server, data):
    mlflow.set_experiment(f"native-trees-{uuid.uuid4().hex[:8]}")
    suffix = uuid.uuid4().hex[:6]
    out = {}
    for name, (flavor, model, predict, frame, pyfunc_ok) in _cases(data).items():
        log = mlflow.xgboost.log_model if flavor == "xgboost" else mlflow.lightgbm.log_model
        with mlflow.start_run():
            info = log(model, name="model", input_example=frame.iloc[5:8],
                       registered_model_name=f"native-{name}-{suffix}")
        out[name] = (f"models:/native-{name}-{suffix}/1", info.model_uri, predict, frame, pyfunc_ok)
    return out


def _native(cairn_bin, server, uri, frame, tmp_path) -> np.ndarray:
    source, target = tmp_path / "X.csv", tmp_path / "Y.jsonl"
    frame.to_csv(source, index=False)
    out = subprocess.run(
        [cairn_bin, "predict", uri, "--input", str(source), "--output", str(target), "--runtime", "native",
         "--tracking-uri", server.url, "--cache", str(tmp_path / "cache"), "--quiet"],
        capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line)["prediction"] for line in target.read_text().splitlines()]
    assert len(rows) == len(frame)
    return np.array(rows, dtype=np.float64)


CASES = [
    "xgb-reg", "xgb-logistic", "xgb-binary", "xgb-logitraw", "xgb-softprob", "xgb-softmax", "xgb-poisson",
    "xgb-tweedie", "xgb-single-tree", "xgb-stump", "xgb-depth20", "xgb-1000-trees", "xgb-categorical",
    "xgb-classifier-early-stopping", "xgb-regressor-early-stopping",
    "lgb-regression", "lgb-binary", "lgb-binary-sigmoid", "lgb-multiclass", "lgb-poisson", "lgb-zero-as-missing",
    "lgb-linear-tree", "lgb-categorical", "lgb-single-tree", "lgb-stump", "lgb-depth20", "lgb-1000-trees",
    "lgb-no-missing-at-training",
]


@pytest.mark.parametrize("name", CASES)
def test_native_equals_library_and_pyfunc(cairn_bin, server, logged, name, tmp_path):
    uri, logged_uri, predict, frame, pyfunc_ok = logged[name]
    native = _native(cairn_bin, server, uri, frame, tmp_path)
    expected = np.asarray(predict(frame))
    assert native.shape == expected.shape, (native.shape, expected.shape)
    # Max absolute difference 0: the values are the same floats (float32 widened for XGBoost).
    assert np.array_equal(native, expected.astype(np.float64), equal_nan=True), np.nanmax(np.abs(native - expected))
    if pyfunc_ok:
        pyfunc = np.asarray(mlflow.pyfunc.load_model(logged_uri).predict(frame))
        assert pyfunc.shape == native.shape and np.array_equal(native, pyfunc.astype(np.float64), equal_nan=True)


def test_pickled_lightgbm_wrapper_falls_back_with_the_reason(cairn_bin, server, data, tmp_path):
    X = data["X"]
    model = lgb.LGBMClassifier(n_estimators=5, verbose=-1).fit(X, data["bin"])
    name = f"native-lgbm-sklearn-{uuid.uuid4().hex[:6]}"
    with mlflow.start_run():
        mlflow.lightgbm.log_model(model, name="model", input_example=X.iloc[5:8], registered_model_name=name,
                                  serialization_format="cloudpickle")
    source = tmp_path / "X.csv"
    X.iloc[:10].to_csv(source, index=False)
    out = subprocess.run(
        [cairn_bin, "predict", f"models:/{name}/1", "--input", str(source), "--output", str(tmp_path / "Y.jsonl"),
         "--runtime", "native", "--tracking-uri", server.url, "--cache", str(tmp_path / "cache")],
        capture_output=True, text=True, timeout=300)
    assert out.returncode == 1
    assert "pickled scikit-learn model" in out.stderr and "LGBMClassifier" in out.stderr, out.stderr
