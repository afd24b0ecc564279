"""search_runs: filters, ordering, view types, pandas output and paging past 1000 runs."""

import math
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import mlflow
import pytest
from mlflow.entities import Metric, Param, RunTag

# name -> (start_time, metrics, params, tags, final status or None for RUNNING)
RUNS = {
    "r1": (1000, {"acc": 0.9, "loss": 0.3, "val loss": 0.5}, {"model": "cnn", "lr": "0.1"},
           {"team": "vision", "env": "prod"}, "FINISHED"),
    "r2": (2000, {"acc": 0.5, "loss": 0.6}, {"model": "rnn", "lr": "0.01"}, {"team": "nlp"}, None),
    "r3": (3000, {"acc": float("nan"), "val loss": 2.0}, {"model": "cnn"}, {"team": "VisionX"},
           "FINISHED"),
    "r4": (4000, {"loss": 0.1}, {"model": "mlp", "opt": "adam"}, {"team": "vision"}, "FAILED"),
    "tie-a": (5000, {}, {}, {}, None),
    "tie-b": (5000, {}, {}, {}, None),
    "tie-c": (5000, {}, {}, {}, None),
}


@pytest.fixture(scope="module")
def corpus(client):
    """One experiment holding the runs described in RUNS; returns (experiment_id, name -> run_id)."""
    exp_id = client.create_experiment(f"search-{uuid.uuid4().hex[:8]}")
    ids = {}
    for name, (start, metrics, params, tags, status) in RUNS.items():
        run_id = client.create_run(exp_id, start_time=start, run_name=name).info.run_id
        client.log_batch(
            run_id,
            metrics=[Metric(k, v, start + 1, 0) for k, v in metrics.items()],
            params=[Param(k, v) for k, v in params.items()],
            tags=[RunTag(k, v) for k, v in tags.items()],
        )
        if status:
            client.set_terminated(run_id, status=status, end_time=start + 500)
        ids[name] = run_id
    return exp_id, ids


def names_of(runs, ids):
    by_id = {v: k for k, v in ids.items()}
    return [by_id[r.info.run_id] for r in runs]


def tie_order(ids):
    return sorted(["tie-a", "tie-b", "tie-c"], key=lambda n: ids[n])


@pytest.mark.parametrize(
    "filter_string, expected",
    [
        ("metrics.acc > 0.6", {"r1"}),
        ("metrics.acc = 0.5", {"r2"}),
        ("metrics.loss <= 0.3", {"r1", "r4"}),
        ("metrics.`val loss` < 1", {"r1"}),
        ('metrics."val loss" >= 1', {"r3"}),
        ("params.model = 'cnn'", {"r1", "r3"}),
        ("params.model != 'cnn'", {"r2", "r4"}),
        ("param.lr = \"0.01\"", {"r2"}),
        ("params.opt IS NOT NULL", {"r4"}),
        ("params.opt IS NULL", {"r1", "r2", "r3", "tie-a", "tie-b", "tie-c"}),
        ("tags.team = 'vision'", {"r1", "r4"}),
        ("tags.team LIKE 'vis%'", {"r1", "r4"}),
        ("tags.team LIKE '%X'", {"r3"}),
        ("tags.team ILIKE 'VIS%'", {"r1", "r3", "r4"}),
        ("tags.env IS NULL AND tags.team IS NOT NULL", {"r2", "r3", "r4"}),
        ("tags.`mlflow.runName` = 'r2'", {"r2"}),
        ("attributes.status = 'FINISHED'", {"r1", "r3"}),
        ("attributes.status != 'RUNNING'", {"r1", "r3", "r4"}),
        ("attributes.run_name = 'r4'", {"r4"}),
        ("run_name LIKE 'tie-%'", {"tie-a", "tie-b", "tie-c"}),
        ("attributes.run_name ILIKE 'TIE-A'", {"tie-a"}),
        ("attributes.start_time >= 4000", {"r4", "tie-a", "tie-b", "tie-c"}),
        ("attributes.start_time < 2500 and metrics.acc > 0", {"r1", "r2"}),
        ("params.model = 'cnn' and metrics.acc > 0.6 and tags.team = 'vision'", {"r1"}),
    ],
)
def test_filters(client, corpus, filter_string, expected):
    exp_id, ids = corpus
    runs = client.search_runs([exp_id], filter_string=filter_string)
    assert set(names_of(runs, ids)) == expected


def test_filter_run_id_in_list(client, corpus):
    exp_id, ids = corpus
    runs = client.search_runs([exp_id], filter_string=f"attributes.run_id IN ('{ids['r1']}', '{ids['r4']}')")
    assert set(names_of(runs, ids)) == {"r1", "r4"}
    runs = client.search_runs([exp_id], filter_string=f"run_id = '{ids['r2']}'")
    assert names_of(runs, ids) == ["r2"]


def test_default_order_is_start_time_desc_then_run_id(client, corpus):
    exp_id, ids = corpus
    runs = client.search_runs([exp_id])
    assert names_of(runs, ids) == tie_order(ids) + ["r4", "r3", "r2", "r1"]


def test_order_by_start_time_asc_breaks_ties_by_run_id(client, corpus):
    exp_id, ids = corpus
    runs = client.search_runs([exp_id], order_by=["attributes.start_time ASC"])
    assert names_of(runs, ids) == ["r1", "r2", "r3", "r4"] + tie_order(ids)


def test_order_by_metric_puts_nan_and_missing_last(client, corpus):
    """NaN comes after real values and missing values last; ties fall back to the default order."""
    exp_id, ids = corpus
    tail = ["r3"] + tie_order(ids) + ["r4"]
    desc = names_of(client.search_runs([exp_id], order_by=["metrics.acc DESC"]), ids)
    assert desc == ["r1", "r2"] + tail
    asc = names_of(client.search_runs([exp_id], order_by=["metrics.acc ASC"]), ids)
    assert asc == ["r2", "r1"] + tail
    spaced = names_of(client.search_runs([exp_id], order_by=["metrics.`val loss` DESC"]), ids)
    assert spaced[:2] == ["r3", "r1"]


def test_order_by_param_then_start_time(client, corpus):
    exp_id, ids = corpus
    runs = client.search_runs([exp_id], order_by=["params.model ASC"])
    assert names_of(runs, ids)[:4] == ["r3", "r1", "r4", "r2"]
    runs = client.search_runs([exp_id], order_by=["params.model DESC", "start_time ASC"])
    assert names_of(runs, ids)[:4] == ["r2", "r4", "r1", "r3"]


def test_order_by_run_name_and_filter_together(client, corpus):
    exp_id, ids = corpus
    runs = client.search_runs(
        [exp_id], filter_string="metrics.loss > 0", order_by=["attributes.run_name DESC"]
    )
    assert names_of(runs, ids) == ["r4", "r2", "r1"]


def test_max_results_limits(client, corpus):
    exp_id, ids = corpus
    runs = client.search_runs([exp_id], max_results=2)
    assert names_of(runs, ids) == tie_order(ids)[:2]
    assert runs.token


def test_search_runs_returns_full_run_data(client, corpus):
    exp_id, ids = corpus
    [run] = client.search_runs([exp_id], filter_string="attributes.run_name = 'r1'")
    assert run.data.params == {"model": "cnn", "lr": "0.1"}
    assert run.data.metrics == {"acc": 0.9, "loss": 0.3, "val loss": 0.5}
    assert run.data.tags["team"] == "vision"
    assert run.info.status == "FINISHED"
    assert run.info.end_time == 1500


def test_search_over_several_experiments(client, corpus, experiment_id):
    exp_id, ids = corpus
    other = client.create_run(experiment_id, run_name="r1").info.run_id
    runs = client.search_runs([exp_id, experiment_id], filter_string="attributes.run_name = 'r1'")
    assert {r.info.run_id for r in runs} == {ids["r1"], other}


def test_fluent_search_runs_pandas(corpus):
    exp_id, ids = corpus
    df = mlflow.search_runs(experiment_ids=[exp_id], filter_string="params.model = 'cnn'")
    assert set(df["run_id"]) == {ids["r1"], ids["r3"]}
    for column in ["metrics.acc", "params.model", "tags.team", "status", "start_time", "experiment_id"]:
        assert column in df.columns
    row = df.set_index("run_id").loc[ids["r1"]]
    assert row["metrics.acc"] == 0.9
    assert row["params.lr"] == "0.1"
    assert row["tags.team"] == "vision"
    assert math.isnan(df.set_index("run_id").loc[ids["r3"], "metrics.acc"])

    ordered = mlflow.search_runs(experiment_ids=[exp_id], order_by=["metrics.loss ASC"])
    assert list(ordered["run_id"][:3]) == [ids["r4"], ids["r1"], ids["r2"]]

    as_list = mlflow.search_runs(experiment_ids=[exp_id], output_format="list")
    assert len(as_list) == len(RUNS)


# ---------------------------------------------------------------- paging

PAGED_RUNS = 1234


@pytest.fixture(scope="module")
def many_runs(rest):
    """An experiment with PAGED_RUNS runs created with parallel raw REST calls."""
    exp_id = rest.ok("POST", "experiments/create", {"name": f"paging-{uuid.uuid4().hex[:8]}"})[
        "experiment_id"
    ]
    base = int(time.time() * 1000) - 10_000_000

    def create(i):
        body = {
            "experiment_id": exp_id,
            "run_name": f"p{i:04d}",
            "start_time": base + i * 10,
            "tags": [{"key": "parity", "value": "even" if i % 2 == 0 else "odd"}],
        }
        return rest.ok("POST", "runs/create", body)["run"]["info"]["run_id"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        run_ids = list(pool.map(create, range(PAGED_RUNS)))
    assert len(set(run_ids)) == PAGED_RUNS
    return exp_id, run_ids


def test_client_pages_through_all_runs(client, many_runs):
    exp_id, run_ids = many_runs
    seen, pages, token = [], [], None
    while True:
        page = client.search_runs([exp_id], max_results=500, page_token=token)
        pages.append(len(page))
        seen.extend(page)
        token = page.token
        if not token:
            break
        assert len(pages) < 10
    assert pages == [500, 500, PAGED_RUNS - 1000]
    assert len(seen) == PAGED_RUNS
    assert {r.info.run_id for r in seen} == set(run_ids)
    starts = [r.info.start_time for r in seen]
    assert starts == sorted(starts, reverse=True)


def test_default_max_results_is_1000(client, many_runs):
    exp_id, _ = many_runs
    page = client.search_runs([exp_id])
    assert len(page) == 1000
    assert page.token
    rest_page = client.search_runs([exp_id], page_token=page.token)
    assert len(rest_page) == PAGED_RUNS - 1000
    assert not rest_page.token
    assert not {r.info.run_id for r in page} & {r.info.run_id for r in rest_page}


def test_fluent_search_runs_returns_all_rows(many_runs):
    exp_id, run_ids = many_runs
    df = mlflow.search_runs(experiment_ids=[exp_id])
    assert len(df) == PAGED_RUNS
    assert set(df["run_id"]) == set(run_ids)
    limited = mlflow.search_runs(experiment_ids=[exp_id], max_results=1100)
    assert len(limited) == 1100


def test_paging_with_filter_and_order(client, many_runs):
    exp_id, _ = many_runs
    seen, token = [], None
    while True:
        page = client.search_runs(
            [exp_id],
            filter_string="tags.parity = 'odd'",
            order_by=["attributes.run_name ASC"],
            max_results=200,
            page_token=token,
        )
        seen.extend(r.info.run_name for r in page)
        token = page.token
        if not token:
            break
    assert seen == [f"p{i:04d}" for i in range(1, PAGED_RUNS, 2)]
