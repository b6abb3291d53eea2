"""The MEAL engine counts pathways, steps done in time and cases."""

from datetime import timedelta

import pytest
from django.utils import timezone

from parcours.cases import casework, pathways
from parcours.meal.engine import compute
from parcours.meal.models import Indicator, IndicatorKind, Measure
from parcours.meal.periods import Period


def indicator(world, code, **fields):
    fields.setdefault("name_fr", code)
    fields.setdefault("name_en", code)
    fields.setdefault("kind", IndicatorKind.COMPUTED)
    return Indicator.objects.create(project=world.calais, code=code, **fields)


def this_month() -> Period:
    today = timezone.localdate()
    return Period.month(today.year, today.month)


def test_pep_within_72_hours_counts_only_consented_incidents(world, make_person, record):
    ratio = indicator(
        world,
        "SV-PEP-PATHWAY",
        measure=Measure.RATIO,
        fact="",
        numerator={"fact": "sv_pathway_steps", "measure": "count", "filters": [
            {"field": "step", "op": "eq", "value": "pep"},
            {"field": "done_in_time", "op": "eq", "value": True}]},
        denominator={"fact": "sv_pathway_steps", "measure": "count", "filters": [
            {"field": "step", "op": "eq", "value": "pep"}]},
    )  # fmt: skip
    # Deadlines inside this month whatever the day: incidents 2 and 3 days ago,
    # plus one whose person did not consent to anonymous reporting.
    now = timezone.now()
    if timezone.localtime(now).day < 4:
        pytest.skip("needs three days of the month behind")
    for name, consented, pep in (("A", True, True), ("B", True, False), ("C", False, True)):
        person = make_person(given_name=name, sex="female")
        incident = record(
            world.doctor,
            person,
            "sv_incident",
            details={"gbv_type": "rape", "hours_to_care": 1,
                     "consent_anonymous_reporting": consented},
            occurred_at=now - timedelta(hours=80),
        )  # fmt: skip
        pathways.pathway_start(
            actor=world.doctor, person=person, kind="sv_survivor", project=world.calais,
            event_at=pathways.incident_time(incident), source=incident,
        )  # fmt: skip
        if pep:
            record(world.doctor, person, "medical", details={"pep_given": True},
                   occurred_at=now - timedelta(hours=78))  # fmt: skip
    result = compute(ratio, this_month(), user=world.meal)
    assert result.total == pytest.approx(50.0)  # A in time, B overdue; C not counted
    # A coordinator may not count sexual violence at all.
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        compute(ratio, this_month(), user=world.coordinator)


def test_open_cases_by_risk(world, make_person):
    for name, risk in (("A", "high"), ("B", "high"), ("C", "low")):
        casework.case_open(
            actor=world.social_worker, person=make_person(given_name=name), project=world.calais,
            worker=world.social_worker, risk_level=risk, needs=["housing"],
        )  # fmt: skip
    high = indicator(
        world, "CASES-HIGH", fact="cases", measure=Measure.COUNT,
        filters=[{"field": "risk_level", "op": "eq", "value": "high"},
                 {"field": "status", "op": "eq", "value": "open"}],
    )  # fmt: skip
    assert compute(high, this_month(), user=world.meal).total == 2
