"""Each kind of indicator against counts made independently in the test."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from parcours.meal.engine import EngineError, compute
from parcours.meal.models import Measure
from parcours.meal.periods import parse_period
from tests.meal.conftest import local

OCT = parse_period("2026-10")
D = date(2026, 10, 12)


@pytest.fixture
def clinic(world, person, encounter):
    """Calais in October 2026: 3 women and 2 men seen by the doctor."""
    women = [person(sex="female") for _ in range(3)]
    men = [person(sex="male", birth_date=date(2010, 1, 1)) for _ in range(2)]
    for p in women:
        encounter("medical", local(D), p, morbidity="scabies")
    encounter("medical", local(D, 15), women[0], first=False, morbidity="rti_upper")
    for p in men:
        encounter("medical", local(D), p, morbidity="wound")
    # Outside the period, another project, another discipline: not counted.
    encounter("medical", local(date(2026, 11, 1), 0, 30), women[1])
    encounter("medical", local(D), person(project=world.dunkerque), project=world.dunkerque)
    encounter("mental_health", local(D), women[0])
    return women, men


def test_count_of_records(world, clinic, indicator):
    result = compute(indicator(), OCT, user=world.meal)
    assert result.total == 6
    assert not result.suppressed


def test_distinct_persons_and_filters(world, clinic, indicator):
    ind = indicator(measure=Measure.PERSONS)
    assert compute(ind, OCT, user=world.meal).total == 5
    scabies = indicator(
        "MED-SCAB", filters=[{"field": "morbidity", "op": "eq", "value": "scabies"}]
    )
    assert compute(scabies, OCT, user=world.meal).total == 3
    new = indicator(
        "MED-NEW",
        measure=Measure.PERSONS,
        filters=[{"field": "is_first_visit", "op": "eq", "value": True}],
    )
    assert compute(new, OCT, user=world.meal).total == 5


def test_disaggregation_by_sex_and_age_group(world, clinic, indicator):
    result = compute(indicator(), OCT, user=world.meal, disaggregate=["sex", "age_group"])
    cells = {(c["sex"], c["age_group"]): c["value"] for c in result.values}
    # Women born 1995 are 31; men born 2010 are 16 in October 2026.
    assert cells == {("female", "18-59"): 4, ("male", "12-17"): 2}
    assert sum(cells.values()) == result.total


def test_sum_of_a_field(world, person, encounter, indicator):
    a, b = person(), person()
    encounter("shelter", local(D), a, nights=3)
    encounter("shelter", local(D), b, nights=4)
    encounter("shelter", local(D), a, nights=2)
    ind = indicator("SHEL-NIGHTS", fact="shelter", measure=Measure.SUM, field="nights")
    assert compute(ind, OCT, user=world.meal).total == 9


def test_ratio_and_zero_denominator(world, person, encounter, indicator):
    ind = indicator(
        "SV-PEP72",
        measure=Measure.RATIO,
        fact="",
        numerator={
            "fact": "medical",
            "measure": "persons",
            "filters": [
                {"field": "sv_care", "op": "eq", "value": True},
                {"field": "hours_since_incident", "op": "lte", "value": 72},
                {"field": "pep_given", "op": "eq", "value": True},
            ],
        },
        denominator={
            "fact": "medical",
            "measure": "persons",
            "filters": [
                {"field": "sv_care", "op": "eq", "value": True},
                {"field": "hours_since_incident", "op": "lte", "value": 72},
            ],
        },
    )
    empty = compute(ind, OCT, user=world.meal)
    assert empty.total is None and empty.total_display == "—"
    for hours, pep in [(10, True), (50, True), (70, False), (100, True)]:
        encounter(
            "medical", local(D), person(), sv_care=True, hours_since_incident=hours, pep_given=pep
        )
    result = compute(ind, OCT, user=world.meal)
    assert result.total == pytest.approx(66.7)
    assert result.total_display.endswith("%")


def test_period_edge_in_paris_time(world, person, encounter, indicator):
    p = person()
    # 23:30 in Paris on 31 October is 22:30 UTC the same day (winter time)…
    encounter("medical", local(date(2026, 10, 31), 23, 30), p)
    # … and 00:30 on 1 October is 22:30 UTC on 30 September.
    encounter("medical", local(date(2026, 10, 1), 0, 30), p)
    ind = indicator()
    assert compute(ind, OCT, user=world.meal).total == 2
    assert compute(ind, parse_period("2026-09"), user=world.meal).total == 0
    assert compute(ind, parse_period("2026-11"), user=world.meal).total == 0


def test_sexual_violence_counts_only_consented_incidents(world, person, encounter, indicator):
    for consent in (True, True, False):
        encounter("sv_incident", local(D), person(), consent_anonymous_reporting=consent)
    ind = indicator("SV-INC", fact="sv_incident")
    assert compute(ind, OCT, user=world.meal).total == 2
    assert compute(ind, OCT, user=world.referent).total == 2


def test_tallies_count_in_outreach_contacts(world, person, encounter, indicator):
    a = person()
    encounter("outreach", local(D), tallies=[("female", "18-24", 7), ("male", "5-14", 3)])
    encounter("outreach", local(D), a)
    ind = indicator("OUT-CONTACTS", fact="outreach_contacts")
    result = compute(ind, OCT, user=world.meal, disaggregate=["sex"])
    assert result.total == 11
    assert {c["sex"]: c["value"] for c in result.values} == {"female": 8, "male": 3}


def test_access(world, clinic, indicator):
    ind = indicator()
    with pytest.raises(PermissionDenied):
        compute(ind, OCT, user=world.dunkerque_doctor)
    with pytest.raises(PermissionDenied):
        compute(ind, OCT, user=world.reception)
    with pytest.raises(PermissionDenied):
        compute(ind, OCT, user=world.admin)
    assert compute(ind, OCT, user=world.doctor).total == 6
    assert compute(ind, OCT, user=world.coordinator).total == 6


def test_advocacy_sees_small_cells_suppressed(world, clinic, indicator):
    result = compute(indicator(), OCT, user=world.advocacy, disaggregate=["sex"])
    # 5 persons in total: shown; 3 women and 2 men: both under 5.
    assert result.total == 6
    assert result.suppressed
    assert all(c["display"] == "<5" and c["value"] is None for c in result.values)
    exact = compute(indicator("X"), OCT, user=world.meal, disaggregate=["sex"])
    assert not exact.suppressed
    outside = compute(indicator("Y"), OCT, user=world.meal, disaggregate=["sex"], outside=True)
    assert outside.suppressed


def test_unknown_disaggregation_is_refused(world, clinic, indicator):
    with pytest.raises(EngineError):
        compute(indicator(), OCT, user=world.meal, disaggregate=["colour"])


def test_as_dict_has_no_person(world, clinic, indicator):
    data = compute(indicator(), OCT, user=world.meal, disaggregate=["sex"]).as_dict()
    text = str(data)
    assert "Given" not in text and "Family" not in text
    assert data["total"] == 6 and data["period"] == "2026-10"


def test_age_on_the_local_date_of_the_encounter(world, person, encounter, indicator):
    p = person(birth_date=date(2008, 10, 20))
    # 23:30 on the eve of the 18th birthday: a minor; 00:30 on the day (22:30
    # UTC the day before): an adult.
    encounter("medical", local(date(2026, 10, 19), 23, 30), p)
    encounter("medical", local(date(2026, 10, 20), 0, 30), p)
    result = compute(indicator(), OCT, user=world.meal, disaggregate=["minor_adult", "age_group"])
    cells = {(c["minor_adult"], c["age_group"]): c["value"] for c in result.values}
    assert cells == {("minor", "12-17"): 1, ("adult", "18-59"): 1}


def test_trend_groups_by_local_month(world, person, encounter, indicator):
    from parcours.meal.engine import trend
    from parcours.meal.periods import trend as periods

    p = person()
    encounter("medical", local(date(2026, 10, 31), 23, 30), p)
    encounter("medical", local(date(2026, 3, 29), 1, 30), p)  # the night of the DST change
    encounter("medical", local(date(2026, 3, 29), 3, 30), p)
    points = {
        x["period"]: x["value"] for x in trend(indicator(), periods(OCT, 12), user=world.meal)
    }
    assert points["2026-10"] == 1 and points["2026-03"] == 2
    assert sum(points.values()) == 3
    quarters = trend(indicator("Q"), periods(parse_period("2026-Q4"), 4), user=world.meal)
    assert [x["value"] for x in quarters] == [2, 0, 0, 1]
