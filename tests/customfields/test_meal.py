"""Indicators filter and disaggregate on custom fields, counted in the database;
checked against counts made independently here."""

from collections import Counter
from datetime import date

import pytest

from parcours.access.terms import Category
from parcours.customfields import services
from parcours.meal import engine
from parcours.meal.engine import EngineError, compute
from parcours.meal.periods import parse_period
from tests.customfields.helpers import field
from tests.meal.conftest import local

OCT = parse_period("2026-10")
D = date(2026, 10, 12)
# (referred to, malaria test positive, days of fever) per consultation.
ROWS = [
    ("pass", True, 1),
    ("hospital", False, 3),
    ("pass", None, 4),
    (None, True, 2),
    ("pass", False, 7),
    ("hospital", True, 2.5),
    ("none", None, None),
]


@pytest.fixture
def consultations(world, person, encounter):
    referred = field(
        world,
        target="medical",
        code="referred_to",
        type="single_choice",
        choices=["pass", "hospital", "none"],
    )
    rdt = field(world, target="medical", code="malaria_rdt", type="yes_no")
    fever = field(world, target="medical", code="fever_days", type="decimal")
    for choice, positive, days in ROWS:
        enc = encounter("medical", local(D), person())
        services.values_save(
            actor=world.referent,
            fields=[referred, rdt, fever],
            values={referred.pk: choice, rdt.pk: positive, fever.pk: days},
            project=world.calais,
            encounter=enc,
        )
    # Dunkerque has a field of the same code: its values never count for Calais.
    other = services.field_create(
        actor=world.referent,
        project=world.dunkerque,
        target="medical",
        data={"code": "referred_to", "type": "single_choice", "label_fr": "Orienté"},
        choices=[{"code": "pass", "label_fr": "PASS"}],
    )
    enc = encounter("medical", local(D), person(project=world.dunkerque), project=world.dunkerque)
    services.values_save(
        actor=world.referent,
        fields=[other],
        values={other.pk: "pass"},
        project=world.dunkerque,
        encounter=enc,
    )
    # A Calais consultation outside the period: not counted.
    late = encounter("medical", local(date(2026, 11, 2)), person())
    services.values_save(
        actor=world.referent,
        fields=[referred],
        values={referred.pk: "pass"},
        project=world.calais,
        encounter=late,
    )


def test_count_on_a_custom_choice_equals_an_independent_count(world, consultations, indicator):
    expected = sum(1 for choice, _p, _d in ROWS if choice == "pass")
    ind = indicator(
        "MED-PASS", filters=[{"field": "custom.referred_to", "op": "eq", "value": "pass"}]
    )
    assert compute(ind, OCT, user=world.meal).total == expected == 3


def test_yes_no_and_numeric_range(world, consultations, indicator):
    positive = indicator(
        "MED-RDT", filters=[{"field": "custom.malaria_rdt", "op": "eq", "value": True}]
    )
    assert compute(positive, OCT, user=world.meal).total == sum(1 for r in ROWS if r[1] is True)
    ranged = indicator(
        "MED-FEVER",
        filters=[
            {"field": "custom.fever_days", "op": "gte", "value": 2},
            {"field": "custom.fever_days", "op": "lt", "value": 5},
        ],
    )
    expected = sum(1 for r in ROWS if r[2] is not None and 2 <= r[2] < 5)
    assert compute(ranged, OCT, user=world.meal).total == expected == 4


def test_disaggregation_by_a_custom_choice_and_yes_no(world, consultations, indicator):
    result = compute(indicator(), OCT, user=world.meal, disaggregate=["custom.referred_to"])
    cells = {c["custom.referred_to"]: c["value"] for c in result.values}
    expected = Counter(choice or "unknown" for choice, _p, _d in ROWS)
    assert cells == dict(expected)
    result = compute(indicator("MED-2"), OCT, user=world.meal, disaggregate=["custom.malaria_rdt"])
    cells = {c["custom.malaria_rdt"]: c["value"] for c in result.values}
    labels = {True: "yes", False: "no", None: "unknown"}
    assert cells == dict(Counter(labels[p] for _c, p, _d in ROWS))


def test_unknown_custom_field_or_value_is_refused(world, consultations, indicator):
    ghost = indicator("MED-G", filters=[{"field": "custom.ghost", "op": "eq", "value": "x"}])
    with pytest.raises(EngineError):
        compute(ghost, OCT, user=world.meal)
    bad = indicator("MED-B", filters=[{"field": "custom.referred_to", "op": "eq", "value": "moon"}])
    with pytest.raises(EngineError):
        compute(bad, OCT, user=world.meal)
    with pytest.raises(EngineError):
        compute(indicator("MED-D"), OCT, user=world.meal, disaggregate=["custom.fever_days"])


def test_a_custom_field_category_must_be_countable(world, indicator):
    field(world, code="diabetic", type="yes_no", category="medical")
    social = indicator(
        "SOC-DIAB",
        fact="social",
        filters=[{"field": "custom.diabetic", "op": "eq", "value": True}],
    )
    assert Category.MEDICAL in engine._categories_needed(social, ())
