"""The MEAL API: figures only, for who may read them."""

from datetime import date

import pytest

from tests.meal.conftest import local
from tests.meal.fixtures import calais_plan

D = date(2026, 10, 12)


@pytest.fixture
def plan(world, person, encounter):
    ids = calais_plan(world)
    for sex in ["female"] * 6 + ["male"] * 2:
        encounter("medical", local(D), person(sex=sex))
    return ids


def test_indicator_list(world, plan, api_as):
    response = api_as(world.meal).get("/api/v1/meal/indicators", {"project": world.calais.pk})
    assert response.status_code == 200
    [item] = response.json()
    assert item["code"] == "MED-CONS" and item["level"]["level"] == "goal"
    assert "sex" in item["disaggregations"]
    # Another project's caller: 404 for Calais, nothing of it in their list.
    other = api_as(world.dunkerque_doctor)
    assert other.get("/api/v1/meal/indicators", {"project": world.calais.pk}).status_code == 404
    assert other.get("/api/v1/meal/indicators").json() == []
    # A role that counts no medical figure sees no medical indicator.
    assert api_as(world.psychologist).get("/api/v1/meal/indicators").json() == []


def test_values_disaggregated(world, plan, api_as):
    url = f"/api/v1/meal/indicators/{plan['indicator_id']}/values"
    response = api_as(world.meal).get(url, {"period": "2026-10", "disaggregate": "sex,age_group"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["indicator"] == "MED-CONS" and body["period"] == "2026-10"
    assert body["total"] == 8 and body["target"] == 100 and body["achieved_pct"] == 8.0
    cells = {(v["sex"], v["age_group"]): v["value"] for v in body["values"]}
    assert cells == {("female", "18-59"): 6, ("male", "18-59"): 2}
    text = response.content.decode()
    assert "Given" not in text and "Family" not in text and '"person' not in text


def test_advocacy_gets_small_cells_suppressed(world, plan, api_as):
    url = f"/api/v1/meal/indicators/{plan['indicator_id']}/values"
    body = api_as(world.advocacy).get(url, {"period": "2026-10", "disaggregate": "sex"}).json()
    cells = {v["sex"]: v for v in body["values"]}
    assert cells["male"]["display"] == "<5" and cells["male"]["value"] is None
    # The women's cell would give the men's away (8 − 6): suppressed too.
    assert cells["female"]["value"] is None and body["suppressed"]
    assert body["total"] == 8


def test_bad_input(world, plan, api_as):
    api = api_as(world.meal)
    url = f"/api/v1/meal/indicators/{plan['indicator_id']}/values"
    response = api.get(url, {"period": "October"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "period"]
    response = api.get(url, {"period": "2026-13"})
    assert response.status_code == 422
    response = api.get(url, {"period": "2026-10", "disaggregate": "religion"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "disaggregate"]
    assert api.get("/api/v1/meal/indicators/999999/values").status_code == 404
    assert api.get("/api/v1/meal/indicators/99999999999999999999/values").status_code in (404, 422)


def test_clinician_never_gets_another_projects_figures(world, plan, api_as):
    api = api_as(world.dunkerque_doctor)
    url = f"/api/v1/meal/indicators/{plan['indicator_id']}/values"
    assert api.get(url, {"period": "2026-10"}).status_code == 404
    export = f"/api/v1/meal/exports/adx?project={world.calais.pk}&period=2026-10"
    assert api.get(export).status_code == 404
