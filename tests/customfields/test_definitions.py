"""Defining custom fields: who may, what is checked, what is audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from parcours.audit.models import AuditEvent
from parcours.customfields import services
from parcours.customfields.models import CustomField, CustomValue
from tests.customfields.helpers import field


def test_coordinator_defines_a_person_field_audited(world):
    f = field(world, code="eligible_programme", type="yes_no")
    assert f.category == "identity"
    row = AuditEvent.objects.get(event="custom_field.create", subject_id=str(f.pk))
    assert row.extra["code"] == "eligible_programme"


def test_field_on_medical_encounters_defaults_to_medical(world):
    f = field(world, target="medical", code="malaria_rdt", type="yes_no")
    assert f.category == "medical"


@pytest.mark.parametrize("persona", ["coordinator", "doctor", "reception", "meal", "admin"])
def test_only_the_medical_referent_defines_medical_form_fields(world, persona):
    with pytest.raises(PermissionDenied):
        field(world, target="medical", code="x_ray", type="text", actor=world.users[persona])


@pytest.mark.parametrize("persona", ["doctor", "reception", "meal", "admin", "dunkerque_doctor"])
def test_only_coordinators_define_person_fields(world, persona):
    with pytest.raises(PermissionDenied):
        field(world, code="shoe_size", type="integer", actor=world.users[persona])


def test_coordinator_cannot_move_a_medical_field_to_a_less_protected_category(world):
    f = field(world, target="medical", code="hiv_test", type="yes_no")
    with pytest.raises(PermissionDenied):
        services.field_update(
            actor=world.coordinator, field_id=f.pk, version=f.version, data={"category": "social"}
        )
    # The medical referent may.
    f = services.field_update(
        actor=world.referent, field_id=f.pk, version=f.version, data={"category": "social"}
    )
    assert f.category == "social"


def test_coordinator_cannot_create_a_medical_category_person_field(world):
    with pytest.raises(PermissionDenied):
        field(
            world, code="pregnant_now", type="yes_no", category="medical", actor=world.coordinator
        )


def test_code_colliding_with_a_builtin_field_is_refused(world):
    with pytest.raises(ValidationError) as error:
        field(world, code="birth_date", type="date")
    assert "built-in" in str(error.value)
    with pytest.raises(ValidationError):
        field(world, target="medical", code="team_note", type="text")
    assert not CustomField.objects.exists()


def test_duplicate_code_refused(world):
    field(world, code="programme", type="text")
    with pytest.raises(ValidationError) as error:
        field(world, code="programme", type="integer")
    assert "already used" in str(error.value)


@pytest.mark.parametrize(
    ("data", "choices", "key"),
    [
        ({"code": "Bad Code", "type": "text"}, [], "code"),
        ({"code": "size", "type": "integer", "min_value": 10, "max_value": 1}, [], "max_value"),
        ({"code": "size", "type": "text", "min_value": 1}, [], "min_value"),
        ({"code": "colour", "type": "single_choice"}, [], "choices"),
        ({"code": "colour", "type": "single_choice"}, ["red", "red"], "choices"),
        ({"code": "nolabel", "type": "text", "label_fr": "", "label_en": ""}, [], "label_fr"),
    ],
)
def test_bad_definitions_are_refused_with_the_field_named(world, data, choices, key):
    with pytest.raises(ValidationError) as error:
        field(world, choices=choices, **data)
    assert key in error.value.message_dict
    assert not CustomField.objects.exists()


def test_relevance_needs_a_choice_field_and_its_values(world):
    parent = field(world, code="housed", type="yes_no")
    child = field(
        world,
        code="housing_kind",
        type="text",
        relevant_field=parent,
        relevant_values=["yes"],
    )
    assert child.relevant_field == parent
    with pytest.raises(ValidationError):
        field(world, code="other", type="text", relevant_field=parent, relevant_values=["maybe"])
    text = field(world, code="notes_x", type="text")
    with pytest.raises(ValidationError):
        field(world, code="other2", type="text", relevant_field=text, relevant_values=["a"])


def test_retired_field_keeps_its_values(world, make_person):
    f = field(world, code="programme", type="text")
    person = make_person()
    services.values_save(
        actor=world.coordinator,
        fields=[f],
        values={f.pk: "ASE"},
        project=world.calais,
        person=person,
    )
    services.field_retire(actor=world.coordinator, field=f)
    f.refresh_from_db()
    assert f.retired_at is not None
    assert services.form_fields(world.calais.pk, "person") == []
    assert CustomValue.objects.get(field=f).text == "ASE"


def test_stale_version_is_refused(world):
    f = field(world, code="programme", type="text")
    services.field_update(actor=world.coordinator, field_id=f.pk, version=1, data={"label_en": "P"})
    with pytest.raises(services.StaleVersion):
        services.field_update(
            actor=world.coordinator, field_id=f.pk, version=1, data={"label_en": "Q"}
        )


def test_choice_removed_is_retired_not_deleted(world):
    f = field(world, code="colour", type="single_choice", choices=["red", "blue"])
    services.field_update(
        actor=world.coordinator,
        field_id=f.pk,
        version=f.version,
        data={},
        choices=[{"code": "red", "label_fr": "Rouge", "label_en": "Red"}],
    )
    assert {c.code: c.retired for c in f.choices.all()} == {"red": False, "blue": True}


def test_required_added_later_is_asked_only_of_new_records(world, make_person):
    from parcours.customfields.validation import clean_values

    old = make_person()
    f = field(world, code="programme", type="text")
    f = services.field_update(
        actor=world.coordinator, field_id=f.pk, version=f.version, data={"required": True}
    )
    _values, errors = clean_values([f], {}, record_created_at=old.created_at)
    assert errors == {}
    _values, errors = clean_values([f], {}, record_created_at=None)
    assert "programme" in errors
