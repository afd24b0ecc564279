"""Experiments: default experiment, set_experiment, tags, rename, delete/restore and search."""

import time
import uuid

import mlflow
import pytest
from mlflow.entities import ViewType
from mlflow.exceptions import MlflowException


def test_default_experiment_is_zero_named_default(client):
    exp = client.get_experiment("0")
    assert exp.experiment_id == "0"
    assert exp.name == "Default"
    assert exp.lifecycle_stage == "active"
    assert exp.artifact_location == "mlflow-artifacts:/0"
    by_name = client.get_experiment_by_name("Default")
    assert by_name is not None and by_name.experiment_id == "0"


def test_set_experiment_creates_then_reuses(client, unique):
    name = unique("set-exp")
    before_ms = int(time.time() * 1000) - 5000
    created = mlflow.set_experiment(name)
    assert created.name == name
    assert created.experiment_id.isdigit() and created.experiment_id != "0"
    assert created.lifecycle_stage == "active"
    assert created.artifact_location == f"mlflow-artifacts:/{created.experiment_id}"
    assert created.creation_time >= before_ms
    assert created.last_update_time >= created.creation_time

    again = mlflow.set_experiment(name)
    assert again.experiment_id == created.experiment_id
    assert client.get_experiment_by_name(name).experiment_id == created.experiment_id
    by_id = mlflow.set_experiment(experiment_id=created.experiment_id)
    assert by_id.name == name


def test_experiment_ids_increase(client, unique):
    first = client.create_experiment(unique("seq"))
    second = client.create_experiment(unique("seq"))
    assert int(second) > int(first) > 0


def test_create_experiment_with_tags(client, unique):
    name = unique("tagged")
    exp_id = client.create_experiment(name, tags={"team": "vision", "empty": ""})
    exp = client.get_experiment(exp_id)
    assert exp.name == name
    assert exp.tags["team"] == "vision"
    assert exp.tags["empty"] == ""


def test_get_experiment_by_name_missing_returns_none(client, unique):
    assert client.get_experiment_by_name(unique("missing")) is None
    assert mlflow.get_experiment_by_name(unique("missing")) is None


def test_rename_experiment(client, unique):
    old, new = unique("old"), unique("new")
    exp_id = client.create_experiment(old)
    client.rename_experiment(exp_id, new)
    assert client.get_experiment(exp_id).name == new
    assert client.get_experiment_by_name(new).experiment_id == exp_id
    assert client.get_experiment_by_name(old) is None


def test_set_and_delete_experiment_tags(client, experiment_id):
    client.set_experiment_tag(experiment_id, "stage", "dev")
    client.set_experiment_tag(experiment_id, "stage", "prod")
    client.set_experiment_tag(experiment_id, "owner", "ml")
    tags = client.get_experiment(experiment_id).tags
    assert tags["stage"] == "prod"
    assert tags["owner"] == "ml"

    client.delete_experiment_tag(experiment_id, "stage")
    tags = client.get_experiment(experiment_id).tags
    assert "stage" not in tags
    assert tags["owner"] == "ml"

    with pytest.raises(MlflowException) as err:
        client.delete_experiment_tag(experiment_id, "stage")
    assert err.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert "No tag with name: stage" in err.value.message


def test_fluent_set_experiment_tags(fluent_experiment, client):
    mlflow.set_experiment_tag("a", "1")
    mlflow.set_experiment_tags({"b": "2", "c": "3"})
    tags = client.get_experiment(fluent_experiment.experiment_id).tags
    assert {k: tags[k] for k in "abc"} == {"a": "1", "b": "2", "c": "3"}


def test_delete_and_restore_experiment_cascades_to_runs(client, experiment_id):
    runs = [client.create_run(experiment_id).info.run_id for _ in range(3)]
    client.set_terminated(runs[0])

    client.delete_experiment(experiment_id)
    exp = client.get_experiment(experiment_id)
    assert exp.lifecycle_stage == "deleted"
    assert client.get_experiment_by_name(exp.name).lifecycle_stage == "deleted"
    for run_id in runs:
        assert client.get_run(run_id).info.lifecycle_stage == "deleted"
    assert client.search_runs([experiment_id]) == []
    deleted = client.search_runs([experiment_id], run_view_type=ViewType.DELETED_ONLY)
    assert sorted(r.info.run_id for r in deleted) == sorted(runs)
    assert len(client.search_runs([experiment_id], run_view_type=ViewType.ALL)) == 3

    client.restore_experiment(experiment_id)
    assert client.get_experiment(experiment_id).lifecycle_stage == "active"
    for run_id in runs:
        assert client.get_run(run_id).info.lifecycle_stage == "active"
    assert len(client.search_runs([experiment_id])) == 3
    assert client.search_runs([experiment_id], run_view_type=ViewType.DELETED_ONLY) == []


def test_set_experiment_on_deleted_experiment_fails(client, unique):
    name = unique("gone")
    client.delete_experiment(client.create_experiment(name))
    with pytest.raises(MlflowException, match="Cannot set a deleted experiment"):
        mlflow.set_experiment(name)


def test_deleted_name_cannot_be_reused(client, unique):
    name = unique("reuse")
    client.delete_experiment(client.create_experiment(name))
    with pytest.raises(MlflowException) as err:
        client.create_experiment(name)
    assert err.value.error_code == "RESOURCE_ALREADY_EXISTS"


@pytest.fixture(scope="module")
def family(client):
    """Four experiments sharing a prefix; the last one is deleted."""
    prefix = f"srch-{uuid.uuid4().hex[:8]}"
    ids = {}
    for suffix, team in [("alpha", "vision"), ("beta", "nlp"), ("gamma", "vision"), ("delta", "x")]:
        ids[suffix] = client.create_experiment(f"{prefix}-{suffix}", tags={"team": team})
        time.sleep(0.01)
    client.delete_experiment(ids["delta"])
    return prefix, ids


def _names(experiments, prefix):
    return [e.name[len(prefix) + 1 :] for e in experiments]


class TestSearchExperiments:
    def test_like_filter_default_order_is_newest_first(self, client, family):
        prefix, _ = family
        found = client.search_experiments(filter_string=f"name LIKE '{prefix}-%'")
        assert _names(found, prefix) == ["gamma", "beta", "alpha"]

    def test_ilike_and_equality(self, client, family):
        prefix, ids = family
        found = client.search_experiments(filter_string=f"name ILIKE '{prefix.upper()}-A%'")
        assert [e.experiment_id for e in found] == [ids["alpha"]]
        found = client.search_experiments(filter_string=f"name = '{prefix}-beta'")
        assert [e.experiment_id for e in found] == [ids["beta"]]
        found = client.search_experiments(filter_string=f"name LIKE '{prefix.upper()}-%'")
        assert found == []

    def test_order_by_name(self, client, family):
        prefix, _ = family
        flt = f"name LIKE '{prefix}-%'"
        asc = client.search_experiments(filter_string=flt, order_by=["name ASC"])
        assert _names(asc, prefix) == ["alpha", "beta", "gamma"]
        desc = client.search_experiments(filter_string=flt, order_by=["name DESC"])
        assert _names(desc, prefix) == ["gamma", "beta", "alpha"]
        by_id = client.search_experiments(filter_string=flt, order_by=["experiment_id ASC"])
        assert _names(by_id, prefix) == ["alpha", "beta", "gamma"]

    def test_tag_filter(self, client, family):
        prefix, _ = family
        found = client.search_experiments(
            filter_string=f"name LIKE '{prefix}-%' AND tags.team = 'vision'", order_by=["name"]
        )
        assert _names(found, prefix) == ["alpha", "gamma"]
        found = client.search_experiments(
            filter_string=f"name LIKE '{prefix}-%' AND tags.team LIKE 'n%'"
        )
        assert _names(found, prefix) == ["beta"]
        found = client.search_experiments(
            filter_string=f"name LIKE '{prefix}-%' AND tags.missing IS NULL"
        )
        assert len(found) == 3

    def test_attribute_filters(self, client, family):
        prefix, ids = family
        found = client.search_experiments(
            filter_string=f"experiment_id IN ('{ids['alpha']}', '{ids['gamma']}')", order_by=["name"]
        )
        assert _names(found, prefix) == ["alpha", "gamma"]
        alpha = client.get_experiment(ids["alpha"])
        found = client.search_experiments(
            filter_string=f"name LIKE '{prefix}-%' AND creation_time > {alpha.creation_time - 1}",
            order_by=["creation_time ASC"],
        )
        assert _names(found, prefix)[0] == "alpha"
        assert set(_names(found, prefix)) == {"alpha", "beta", "gamma"}
        found = client.search_experiments(
            filter_string=f"name LIKE '{prefix}-%' AND last_update_time >= 0 AND name != '{prefix}-beta'",
            order_by=["last_update_time DESC", "name"],
        )
        assert set(_names(found, prefix)) == {"alpha", "gamma"}

    def test_view_types(self, client, family):
        prefix, _ = family
        flt = f"name LIKE '{prefix}-%'"
        deleted = client.search_experiments(view_type=ViewType.DELETED_ONLY, filter_string=flt)
        assert _names(deleted, prefix) == ["delta"]
        assert deleted[0].lifecycle_stage == "deleted"
        everything = client.search_experiments(
            view_type=ViewType.ALL, filter_string=flt, order_by=["name"]
        )
        assert _names(everything, prefix) == ["alpha", "beta", "delta", "gamma"]

    def test_paging(self, client, family):
        prefix, _ = family
        flt = f"name LIKE '{prefix}-%'"
        page1 = client.search_experiments(filter_string=flt, max_results=2, order_by=["name"])
        assert _names(page1, prefix) == ["alpha", "beta"]
        assert page1.token
        page2 = client.search_experiments(
            filter_string=flt, max_results=2, order_by=["name"], page_token=page1.token
        )
        assert _names(page2, prefix) == ["gamma"]
        assert not page2.token

    def test_fluent_search_experiments(self, family):
        prefix, ids = family
        found = mlflow.search_experiments(filter_string=f"name = '{prefix}-gamma'")
        assert [e.experiment_id for e in found] == [ids["gamma"]]

    def test_default_experiment_is_searchable(self, client):
        found = client.search_experiments(filter_string="name = 'Default'")
        assert [e.experiment_id for e in found] == ["0"]
