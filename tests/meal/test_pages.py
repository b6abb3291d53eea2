"""The MEAL pages: figures for who may read them, never a name; the plan
edited by coordinators and MEAL officers, audited; bad input refused."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from parcours.audit.models import AuditEvent
from parcours.meal.models import Indicator, Objective, Target
from tests.meal.conftest import local
from tests.meal.fixtures import calais_plan

D = date(2026, 10, 12)


@pytest.fixture
def plan(world, person, encounter):
    ids = calais_plan(world)
    for sex in ["female"] * 6 + ["male"] * 3:
        encounter("medical", local(D), person(sex=sex))
    return ids


def test_dashboard_for_meal_has_figures_and_no_name(world, plan, login):
    response = login(world.meal).get(f"/meal/project/{world.calais.pk}/", {"period": "2026-10"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-code="MED-CONS"' in text and ">9</a>" in text and "<svg" in text
    assert "Given" not in text and "Family" not in text and "/people/" not in text


def test_disaggregation_page(world, plan, login):
    url = f"/meal/indicator/{plan['indicator_id']}/"
    response = login(world.meal).get(url, {"period": "2026-10", "by": ["sex"]})
    assert response.status_code == 200
    assert "Female" in response.content.decode()
    advocacy = login(world.advocacy).get(url, {"period": "2026-10", "by": ["sex"]})
    text = advocacy.content.decode()
    assert "&lt;5" in text and "Given" not in text


def test_a_bad_period_is_said_and_replaced(world, plan, login):
    response = login(world.meal).get(f"/meal/project/{world.calais.pk}/", {"period": "2026-99"})
    assert response.status_code == 200
    assert "There is no month" in response.content.decode()


def test_clinician_of_another_project_gets_404(world, plan, login):
    client = login(world.dunkerque_doctor)
    assert client.get(f"/meal/project/{world.calais.pk}/").status_code == 404
    assert client.get(f"/meal/indicator/{plan['indicator_id']}/").status_code == 404
    assert client.get(f"/meal/project/{world.calais.pk}/logframe.xlsx").status_code == 404


def test_home_of_meal_and_advocacy_is_the_dashboard(world, plan, login):
    for user in (world.meal, world.advocacy):
        response = login(user).get("/")
        assert response.status_code == 302 and response["Location"] == "/meal/"
        assert login(user).get("/meal/")["Location"] == f"/meal/project/{world.calais.pk}/"


def test_coordinator_sees_the_indicators_first(world, plan, login):
    response = login(world.coordinator).get("/")
    text = response.content.decode()
    assert response.status_code == 200 and 'data-code="MED-CONS"' in text
    assert text.index('id="meal-home"') < text.index("My projects")


def test_logframe_xlsx_layout(world, plan, login):
    response = login(world.meal).get(f"/meal/project/{world.calais.pk}/logframe.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[2]]
    assert header[:6] == [
        "Level",
        "Code",
        "Narrative summary",
        "Indicator code",
        "Indicator",
        "Definition",
    ]
    assert "Target 2026-10" in header and "Source of verification" in header
    assert [c.value for c in sheet[3]][:4] == [
        "General objective",
        "GO",
        "Health and dignity of people in transit",
        "MED-CONS",
    ]


def test_logframe_edit_is_audited(world, plan, login):
    client = login(world.meal)
    goal = Objective.objects.get(pk=plan["objective_id"])
    response = client.post(
        f"/meal/project/{world.calais.pk}/logframe/new/",
        {
            "level": "specific",
            "parent": goal.pk,
            "kind": "influence",
            "code": "so2",
            "narrative": "Advocacy",
        },
    )
    assert response.status_code == 302
    specific = Objective.objects.get(code="SO2")
    assert specific.kind == "influence"
    assert AuditEvent.objects.filter(event="logframe.save", subject_id=str(specific.pk)).exists()
    # A result directly under the general objective: refused, nothing saved.
    response = client.post(
        f"/meal/project/{world.calais.pk}/logframe/new/",
        {"level": "result", "parent": goal.pk, "code": "R9", "narrative": "x"},
    )
    assert response.status_code == 200 and not Objective.objects.filter(code="R9").exists()
    # A stale edit is refused with a message.
    response = client.post(
        f"/meal/objective/{specific.pk}/",
        {"level": "specific", "parent": goal.pk, "code": "SO2", "narrative": "New", "version": 7},
        follow=True,
    )
    assert "Someone else saved this" in response.content.decode()
    specific.refresh_from_db()
    assert specific.narrative == "Advocacy"


def test_indicator_with_another_disciplines_field_is_refused(world, plan, login):
    response = login(world.coordinator).post(
        f"/meal/project/{world.calais.pk}/indicators/new/",
        {
            "code": "MH-PEP",
            "name_fr": "x",
            "type": "quantitative",
            "kind": "computed",
            "frequency": "monthly",
            "fact": "mental_health",
            "measure": "count",
            "f0_field": "medical:pep_given",
            "f0_op": "eq",
            "f0_value": "true",
        },
    )
    assert response.status_code == 200
    assert "“pep_given” is a field of Medical consultations" in response.content.decode()
    assert not Indicator.objects.filter(code="MH-PEP").exists()


def test_indicator_created_as_a_ratio(world, plan, login):
    response = login(world.coordinator).post(
        f"/meal/project/{world.calais.pk}/indicators/new/",
        {
            "code": "SV-PEP72",
            "name_en": "PEP within 72 h",
            "type": "quantitative",
            "kind": "computed",
            "frequency": "monthly",
            "fact": "medical",
            "measure": "persons",
            "f0_field": "medical:sv_care",
            "f0_op": "eq",
            "f0_value": "true",
            "f1_field": "medical:hours_since_incident",
            "f1_op": "lte",
            "f1_value": "72",
            "as_ratio": "on",
            "n0_field": "medical:pep_given",
            "n0_op": "eq",
            "n0_value": "true",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    ind = Indicator.objects.get(code="SV-PEP72")
    assert ind.measure == "ratio" and len(ind.numerator["filters"]) == 3
    assert len(ind.denominator["filters"]) == 2


def test_target_outside_the_project_dates_is_refused(world, plan, login):
    world.calais.opened_on = date(2016, 1, 1)
    world.calais.save()
    url = f"/meal/indicator/{plan['indicator_id']}/plan/"
    client = login(world.coordinator)
    response = client.post(
        url, {"action": "target", "period": "2010-01", "value": "5"}, follow=True
    )
    assert "is outside the project" in response.content.decode()
    assert not Target.objects.filter(period="2010-01").exists()
    response = client.post(url, {"action": "target", "period": "2026-11", "value": "120"})
    assert response.status_code == 302
    assert Target.objects.get(period="2026-11").value == 120
    assert AuditEvent.objects.filter(event="indicator.target").exists()


def test_manual_value(world, plan, login):
    ind = Indicator.objects.create(
        project=world.calais,
        code="MAN-KITS",
        name_fr="Kits",
        name_en="Kits",
        kind="manual",
        measure="",
    )
    client = login(world.meal)
    response = client.post(
        f"/meal/indicator/{ind.pk}/plan/",
        {"action": "value", "period": "2026-10", "value": "12,5", "comment": "Stock count"},
    )
    assert response.status_code == 302
    page = client.get(f"/meal/indicator/{ind.pk}/", {"period": "2026-10"}).content.decode()
    assert "12,5" in page or "12.5" in page
    response = client.post(
        f"/meal/indicator/{ind.pk}/plan/",
        {"action": "value", "period": "2026-10", "value": "many"},
        follow=True,
    )
    assert "Type a number" in response.content.decode()


def test_export_page(world, plan, login):
    client = login(world.meal)
    url = f"/meal/project/{world.calais.pk}/export/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"format": "hxl", "period": "2026-10"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert AuditEvent.objects.filter(event="meal.export").exists()
    from parcours.meal.models import ProjectMapping

    ProjectMapping.objects.filter(project=world.calais).update(org_unit="")
    response = client.post(url, {"format": "datavaluesets", "period": "2026-10"}, follow=True)
    assert "organisation unit" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def test_dashboard_figures_are_the_engines(world, plan, login, indicator, encounter, person):
    from parcours.meal.engine import compute
    from parcours.meal.periods import parse_period
    from parcours.meal.views import dashboard_context

    indicator("MED-PERS", measure="persons")
    indicator(
        "MED-SCAB-PCT",
        measure="ratio",
        fact="",
        numerator={
            "fact": "medical",
            "measure": "count",
            "filters": [{"field": "morbidity", "op": "eq", "value": "scabies"}],
        },
        denominator={"fact": "medical", "measure": "count"},
    )
    encounter("medical", local(D), person(), morbidity="scabies")
    period = parse_period("2026-10")
    for user in (world.meal, world.advocacy):
        context = dashboard_context(user, world.calais, period)
        for tile in context["tiles"]:
            expected = compute(tile["result"].indicator, period, user=user)
            assert tile["result"].total == expected.total, tile["result"].indicator.code
            assert tile["result"].total_suppressed == expected.total_suppressed


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_with_a_replica_the_dashboard_counts_there_and_shows_the_same_figures(
    world, plan, login, settings
):
    """The replica is a second connection to the (committed) test database:
    the figures are the same, and the counting queries run on it."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    client = login(world.meal)
    url = f"/meal/project/{world.calais.pk}/"
    settings.PARCOURS_REPLICA = True
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(url, {"period": "2026-10"})
    assert response.status_code == 200
    assert 'data-code="MED-CONS"' in response.content.decode()
    assert ">9</a>" in response.content.decode()
    assert any("care_encounter" in query["sql"] for query in on_replica.captured_queries)
