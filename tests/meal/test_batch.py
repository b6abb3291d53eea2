"""Indicators counted together (one query per fact) give exactly what each
gives counted alone: totals, every cell, suppression, trends."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parcours.meal import engine
from parcours.meal.definitions import offered_dimensions
from parcours.meal.models import Measure
from parcours.meal.periods import parse_period, trend
from tests.meal.conftest import local

OCT = parse_period("2026-10")
D = date(2026, 10, 12)
SV = [{"field": "sv_care", "op": "eq", "value": True}]


@pytest.fixture
def plan(world, person, encounter, indicator):
    women = [person(sex="female") for _ in range(7)]
    men = [person(sex="male", birth_date=date(2010, 1, 1), nationality="AF") for _ in range(3)]
    for i, p in enumerate(women):
        encounter("medical", local(D), p, morbidity="scabies" if i < 4 else "wound")
        encounter("medical", local(D, 15), p, first=False, sv_care=i < 5, pep_given=i < 3)
    for p in men:
        encounter("medical", local(date(2026, 9, 3)), p, morbidity="rti_upper")
        encounter("medical", local(D), p, first=False)
        encounter("shelter", local(D), p, nights=3)
        encounter("mental_health", local(D), p)
    encounter("outreach", local(D), tallies=[("female", "18-24", 7), ("male", "5-14", 3)])
    medical = [
        indicator("MED-CONS"),
        indicator("MED-SCAB", filters=[{"field": "morbidity", "op": "eq", "value": "scabies"}]),
        indicator("MED-NOT-SCAB", filters=[{"field": "morbidity", "op": "ne", "value": "scabies"}]),
        indicator(
            "MED-NEW",
            measure=Measure.PERSONS,
            filters=[{"field": "is_first_visit", "op": "eq", "value": True}],
        ),
        indicator("MED-PERS", measure=Measure.PERSONS, targets={"2026-10": 8}),
        indicator(
            "SV-PEP",
            measure=Measure.RATIO,
            fact="",
            numerator={
                "fact": "medical",
                "measure": "persons",
                "filters": [*SV, {"field": "pep_given", "op": "eq", "value": True}],
            },
            denominator={"fact": "medical", "measure": "persons", "filters": SV},
        ),
    ]
    others = [
        indicator("SHEL-NIGHTS", fact="shelter", measure=Measure.SUM, field="nights"),
        indicator("MH-SESS", fact="mental_health"),
        indicator("OUT-CONTACTS", fact="outreach_contacts"),
    ]
    return medical + others


def _all_dimensions(ind):
    return offered_dimensions(ind.definition_dict(), ind.disaggregations or None)


@pytest.mark.parametrize("reader", ["meal", "advocacy"])
@pytest.mark.parametrize("dims", ["none", "sex_age", "all"])
def test_counted_together_is_counted_alone(world, plan, reader, dims):
    user = getattr(world, reader)

    def disaggregate(ind):
        return {"none": (), "sex_age": ("sex", "age_group"), "all": _all_dimensions(ind)}[dims]

    alone = [
        engine.compute(ind, OCT, user=user, disaggregate=disaggregate(ind)).as_dict()
        for ind in plan
    ]
    together = engine.compute_many(plan, OCT, user=user, disaggregate=disaggregate)
    assert [r.as_dict() for r in together] == alone
    assert {r["indicator"]["code"]: r["total"] for r in alone if reader == "meal"} in (
        {},
        {
            "MED-CONS": 17,
            "MED-SCAB": 4,
            "MED-NOT-SCAB": 13,
            "MED-NEW": 7,
            "MED-PERS": 10,
            "SV-PEP": 60.0,
            "SHEL-NIGHTS": 9,
            "MH-SESS": 3,
            "OUT-CONTACTS": 10,
        },
    )


@pytest.mark.parametrize("reader", ["meal", "advocacy"])
def test_trends_counted_together(world, plan, reader):
    user = getattr(world, reader)
    periods = trend(OCT, 12)
    alone = {ind.pk: engine.trend(ind, periods, user=user) for ind in plan}
    assert engine.trend_many(plan, periods, user=user) == alone
    assert alone[plan[0].pk][-2]["value"] == (3 if reader == "meal" else None)


def test_one_query_per_fact_and_dimensions(world, plan):
    medical = plan[:6]
    with CaptureQueriesContext(connection) as together:
        engine.compute_many(medical, OCT, user=world.meal, disaggregate=_all_dimensions)
    with CaptureQueriesContext(connection) as alone:
        for ind in medical:
            engine.compute(ind, OCT, user=world.meal, disaggregate=_all_dimensions(ind))
    counting = [q for q in together.captured_queries if "care_encounter" in q["sql"]]
    # The cells of all six, and the totals of those that do not add up.
    assert len(counting) == 2
    assert len(together.captured_queries) < len(alone.captured_queries)
