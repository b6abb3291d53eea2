"""Each type and its validation, relevance, and values written and audited."""

from datetime import date
from decimal import Decimal

import pytest

from parcours.audit.models import AuditEvent
from parcours.customfields import services
from parcours.customfields.models import CustomValue
from parcours.customfields.validation import ValueError_, clean_value, clean_values
from tests.customfields.helpers import field


@pytest.mark.parametrize(
    ("type_", "raw", "expected"),
    [
        ("text", " Hello ", "Hello"),
        ("long_text", "line 1\nline 2", "line 1\nline 2"),
        ("integer", "12", 12),
        ("integer", 7, 7),
        ("decimal", "3,5", Decimal("3.5")),
        ("date", "2026-03-01", date(2026, 3, 1)),
        ("yes_no", True, True),
        ("yes_no", "no", False),
        ("text", "", None),
    ],
)
def test_each_type_is_cleaned(world, type_, raw, expected):
    f = field(world, code="f", type=type_)
    assert clean_value(f, raw) == expected


@pytest.mark.parametrize(
    ("type_", "raw", "message"),
    [
        ("text", "a\nb", "one line"),
        ("text", 12, "must be text"),
        ("integer", "1.5", "whole number"),
        ("integer", "abc", "must be a number"),
        ("integer", True, "must be a number"),
        ("integer", "200", "at most 120"),
        ("integer", "-1", "at least 0"),
        ("decimal", "NaN", "must be a number"),
        ("date", "31/02/2026", "must be a date"),
        ("yes_no", "maybe", "yes or no"),
    ],
)
def test_each_type_refuses_bad_values_naming_the_field(world, type_, raw, message):
    bounds = {"min_value": 0, "max_value": 120} if type_ in ("integer", "decimal") else {}
    f = field(
        world, code="f", type=type_, label_fr="Age at arrival", label_en="Age at arrival", **bounds
    )
    with pytest.raises(ValueError_) as error:
        clean_value(f, raw)
    assert message in str(error.value)
    assert "Age at arrival" in str(error.value)


def test_choices_are_checked_against_their_codes(world):
    one = field(world, code="one", type="single_choice", choices=["a", "b"])
    many = field(world, code="many", type="multiple_choice", choices=["a", "b", "c"])
    assert clean_value(one, "a") == "a"
    assert clean_value(many, ["c", "a", "a"]) == ["a", "c"]
    with pytest.raises(ValueError_):
        clean_value(one, "z")
    with pytest.raises(ValueError_):
        clean_value(many, ["a", "z"])
    with pytest.raises(ValueError_):
        clean_value(many, [1])


def test_relevance_empties_the_field_and_lifts_its_requirement(world):
    housed = field(world, code="housed", type="yes_no")
    kind = field(
        world,
        code="housing_kind",
        type="single_choice",
        choices=["hotel", "family"],
        required=True,
        relevant_field=housed,
        relevant_values=["yes"],
    )
    fields = [housed, kind]
    values, errors = clean_values(fields, {"housed": "no", "housing_kind": "hotel"})
    assert errors == {} and values[kind.pk] is None
    values, errors = clean_values(fields, {"housed": "yes"})
    assert "housing_kind" in errors
    values, errors = clean_values(fields, {"housed": "yes", "housing_kind": "family"})
    assert errors == {} and values[kind.pk] == "family"


def test_values_are_written_one_row_each_and_audited_per_category(world, make_person):
    programme = field(world, code="programme", type="multiple_choice", choices=["ase", "pass"])
    needs = field(world, code="needs_x", type="text", category="social")
    person = make_person()
    services.values_save(
        actor=world.social_worker,
        fields=[programme, needs],
        values={programme.pk: ["ase", "pass"], needs.pk: "shoes"},
        project=world.calais,
        person=person,
    )
    assert CustomValue.objects.filter(field=programme, person=person).count() == 2
    assert CustomValue.objects.get(field=needs).category == "social"
    rows = AuditEvent.objects.filter(event="custom_values.save", subject_id=str(person.pk))
    assert sorted(r.extra["category"] for r in rows) == ["identity", "social"]
    stored = services.stored_values([programme, needs], person=person)
    assert stored == {programme.pk: ["ase", "pass"], needs.pk: "shoes"}
    # Unchanged values write nothing more.
    services.values_save(
        actor=world.coordinator,
        fields=[programme],
        values={programme.pk: ["ase", "pass"]},
        project=world.calais,
        person=person,
    )
    assert rows.count() == 2


def test_receptionist_may_not_write_a_medical_value(world, make_person):
    from django.core.exceptions import PermissionDenied

    f = field(world, code="hiv_status_known", type="yes_no", category="medical")
    person = make_person()
    with pytest.raises(PermissionDenied):
        services.values_save(
            actor=world.reception,
            fields=[f],
            values={f.pk: True},
            project=world.calais,
            person=person,
        )
    assert not CustomValue.objects.exists()
