"""Every encrypted value is bound to its table, column and row (enc2): a
ciphertext moved by SQL to another row or another column does not decrypt,
and the page and the API say so plainly."""

import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from parcours.care import services as care_services
from parcours.care.models import Encounter, MentalHealthDetails
from parcours.lib import crypto
from parcours.lib.fields import row_of
from parcours.vault import rotation

pytestmark = pytest.mark.django_db


def _raw(model, pk, column):
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn(column)} FROM {qn(model._meta.db_table)} WHERE {qn(model._meta.pk.column)} = %s",  # noqa: S608
            [pk],
        )
        return cursor.fetchone()[0]


def _write_raw(model, pk, column, value):
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {qn(model._meta.db_table)} SET {qn(column)} = %s WHERE {qn(model._meta.pk.column)} = %s",  # noqa: S608
            [value, pk],
        )


def _visit(world, person, discipline="medical", details=None, **data):
    data.setdefault("occurred_at", timezone.now() - timedelta(hours=1))
    author = world.psychologist if discipline == "mental_health" else world.doctor
    return care_services.encounter_record(
        actor=author,
        discipline=discipline,
        site=world.calais_day_centre,
        person=person,
        data=data,
        details=details or {},
    )


@pytest.fixture
def two_visits(world, make_person):
    marker = uuid.uuid4().hex
    first = _visit(
        world,
        make_person(),
        team_note=f"Dort dehors, douleurs {marker}",
        confidential_note=f"Confidentiel A {marker}",
    )
    second = _visit(world, make_person(), team_note="Autre personne", confidential_note="B")
    return first, second, marker


def test_team_note_is_ciphertext_in_the_database_and_plain_through_the_orm(two_visits):
    first, _second, marker = two_visits
    for column in ("team_note", "confidential_note"):
        raw = _raw(Encounter, first.pk, column)
        assert raw.startswith(f"enc2:{crypto.current_key_id()}:") and marker not in raw
    fresh = Encounter.objects.get(pk=first.pk)
    assert fresh.team_note == f"Dort dehors, douleurs {marker}"
    assert fresh.confidential_note == f"Confidentiel A {marker}"
    assert _raw(Encounter, first.pk, "row_key") is not None


def test_ciphertext_moved_to_another_row_of_the_same_column_does_not_decrypt(two_visits):
    first, second, _marker = two_visits
    _write_raw(Encounter, second.pk, "team_note", _raw(Encounter, first.pk, "team_note"))
    moved = Encounter.objects.get(pk=second.pk)
    with pytest.raises(
        crypto.DecryptionError, match="care.encounter.team_note.*another column or row"
    ):
        _ = moved.team_note
    # The row it came from is untouched and still reads.
    assert "Dort dehors" in Encounter.objects.get(pk=first.pk).team_note


def test_ciphertext_moved_to_another_column_of_the_same_row_does_not_decrypt(two_visits):
    first, _second, _marker = two_visits
    _write_raw(Encounter, first.pk, "team_note", _raw(Encounter, first.pk, "confidential_note"))
    with pytest.raises(crypto.DecryptionError, match="care.encounter.team_note"):
        _ = Encounter.objects.get(pk=first.pk).team_note


def test_row_key_cannot_be_copied_along_with_the_value(two_visits):
    first, second, _marker = two_visits
    # Moving the row key as well is refused: row keys are unique.
    with pytest.raises(IntegrityError), transaction.atomic():
        _write_raw(Encounter, second.pk, "row_key", _raw(Encounter, first.pk, "row_key"))


def test_queryset_update_with_a_plaintext_is_refused(two_visits):
    first, _second, _marker = two_visits
    with (
        pytest.raises(crypto.EncryptionError, match="save\\(\\) or bulk_create\\(\\)"),
        transaction.atomic(),
    ):
        Encounter.objects.filter(pk=first.pk).update(team_note="written without its row")
    # Emptying a note needs no row and stays possible.
    Encounter.objects.filter(pk=first.pk).update(team_note="")
    assert Encounter.objects.get(pk=first.pk).team_note == ""


def test_bulk_create_writes_row_bound_ciphertext(world, make_person):
    template = _visit(world, make_person())
    rows = [
        Encounter(
            discipline="medical",
            person=template.person,
            project=template.project,
            site=template.site,
            occurred_at=template.occurred_at,
            author=template.author,
            team_note=f"note {i}",
        )
        for i in range(3)
    ]
    created = Encounter.objects.bulk_create(rows)
    for i, row in enumerate(created):
        assert _raw(Encounter, row.pk, "team_note").startswith("enc2:")
        assert Encounter.objects.get(pk=row.pk).team_note == f"note {i}"


def test_legacy_enc1_value_is_read_then_converted_by_rotate_key(two_visits, settings):
    first, _second, _marker = two_visits
    field = Encounter._meta.get_field("team_note")
    legacy = crypto.encrypt("ancienne note", context=field.context)  # no row: enc1
    assert legacy.startswith("enc1:")
    _write_raw(Encounter, first.pk, "team_note", legacy)
    assert Encounter.objects.get(pk=first.pk).team_note == "ancienne note"

    settings.PARCOURS_ENCRYPTION_READ_ENC1 = False
    with pytest.raises(crypto.DecryptionError, match="old enc1 format"):
        _ = Encounter.objects.get(pk=first.pk).team_note

    assert rotation.count_by_key(Encounter, field, using="default") == {
        f"enc1 {crypto.current_key_id()}": 1
    }
    report = rotation.rotate_field(Encounter, field, using="default")
    assert (report.rotated, report.failed) == (1, [])
    assert _raw(Encounter, first.pk, "team_note").startswith("enc2:")
    assert Encounter.objects.get(pk=first.pk).team_note == "ancienne note"
    assert rotation.count_by_key(Encounter, field, using="default") == {}


def test_data_migration_encrypts_plaintext_and_gives_rows_a_key(world, make_person):
    visit = _visit(world, make_person(), "mental_health", details={"closure_reason": "x"})
    # What the migration finds: a former plain column, a row without row key.
    _write_raw(MentalHealthDetails, visit.pk, "closure_reason", "a quitté Calais")
    _write_raw(MentalHealthDetails, visit.pk, "row_key", None)
    _write_raw(Encounter, visit.pk, "team_note", "note en clair")
    _write_raw(Encounter, visit.pk, "row_key", None)

    class Apps:  # the migration's historical models are the same classes here
        @staticmethod
        def get_model(app_label, model_name):
            return {"MentalHealthDetails": MentalHealthDetails, "Encounter": Encounter}[model_name]

    class Editor:
        connection = connection

    rotation.migrate_values("care", "MentalHealthDetails", plaintext=("closure_reason",))(
        Apps, Editor
    )
    rotation.migrate_values("care", "Encounter", plaintext=("team_note",))(Apps, Editor)

    assert _raw(MentalHealthDetails, visit.pk, "closure_reason").startswith("enc2:")
    assert _raw(Encounter, visit.pk, "team_note").startswith("enc2:")
    assert MentalHealthDetails.objects.get(pk=visit.pk).closure_reason == "a quitté Calais"
    assert Encounter.objects.get(pk=visit.pk).team_note == "note en clair"


def test_saving_one_field_of_a_row_without_row_key_stores_the_key_too(two_visits):
    first, _second, _marker = two_visits
    _write_raw(Encounter, first.pk, "team_note", "")
    _write_raw(Encounter, first.pk, "confidential_note", "")
    _write_raw(Encounter, first.pk, "row_key", None)
    row = Encounter.objects.get(pk=first.pk)
    row.team_note = "nouvelle note"
    row.save(update_fields=["team_note"])
    assert _raw(Encounter, first.pk, "row_key") is not None
    assert Encounter.objects.get(pk=first.pk).team_note == "nouvelle note"


def test_swapped_value_shows_a_clear_page_not_garbage_nor_a_stack_trace(
    world, two_visits, login, settings
):
    settings.DEBUG = False
    first, second, _marker = two_visits
    _write_raw(Encounter, second.pk, "team_note", _raw(Encounter, first.pk, "team_note"))
    client = login(world.doctor)
    client.raise_request_exception = False
    response = client.get(f"/people/{second.person_id}/", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 500
    assert "A protected value cannot be read" in page or "Une valeur protégée" in page
    assert "Traceback" not in page and "Dort dehors" not in page
    assert response["Cache-Control"] == "no-store"


def test_swapped_value_gives_a_json_error_on_the_api(world, two_visits, api_as, settings):
    first, second, _marker = two_visits
    _write_raw(Encounter, second.pk, "team_note", _raw(Encounter, first.pk, "team_note"))
    settings.LANGUAGE_CODE = "en"
    response = api_as(world.doctor).get(f"/api/v1/persons/{second.person_id}/record")
    assert response.status_code == 500
    assert "cannot be decrypted" in response.json()["detail"]
    assert "Dort dehors" not in response.content.decode()


def test_row_part_of_the_associated_data_is_the_row_key(two_visits):
    first, _second, _marker = two_visits
    token = _raw(Encounter, first.pk, "team_note")
    row_key = Encounter.objects.values_list("row_key", flat=True).get(pk=first.pk)
    context = Encounter._meta.get_field("team_note").context
    assert "Dort dehors" in crypto.decrypt(token, context=context, row=row_of(row_key))
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context=context, row=uuid.uuid4().hex)


def test_sensitive_code_lists_and_free_text_of_the_details_are_encrypted(world, make_person):
    visit = _visit(
        world,
        make_person(),
        "mental_health",
        details={
            "symptoms": ["trauma", "suicidal"],
            "risk_level": "high",
            "closure_reason": "parti en Angleterre",
        },
    )
    raw_symptoms = _raw(MentalHealthDetails, visit.pk, "symptoms")
    assert raw_symptoms.startswith("enc2:") and "suicidal" not in raw_symptoms
    assert _raw(MentalHealthDetails, visit.pk, "closure_reason").startswith("enc2:")
    # Counted by the MEAL engine in SQL: stays in clear (docs/encryption.md).
    assert _raw(MentalHealthDetails, visit.pk, "risk_level") == "high"
    # An empty list costs nothing and reads back as a list.
    assert _raw(MentalHealthDetails, visit.pk, "precipitating_events") == ""
    details = MentalHealthDetails.objects.get(pk=visit.pk)
    assert details.symptoms == ["trauma", "suicidal"]
    assert details.precipitating_events == []
    assert details.closure_reason == "parti en Angleterre"


def test_code_list_moved_to_another_row_does_not_decrypt(world, make_person):
    first = _visit(world, make_person(), "mental_health", details={"symptoms": ["suicidal"]})
    second = _visit(world, make_person(), "mental_health", details={"symptoms": ["sleep"]})
    _write_raw(
        MentalHealthDetails, second.pk, "symptoms", _raw(MentalHealthDetails, first.pk, "symptoms")
    )
    with pytest.raises(crypto.DecryptionError, match="care.mentalhealthdetails.symptoms"):
        _ = MentalHealthDetails.objects.get(pk=second.pk).symptoms


def test_row_key_is_neither_shown_nor_accepted_nor_returned(world, make_person, login, api_as):
    person = make_person()
    visit = _visit(world, person, "mental_health", details={"symptoms": ["sleep"]})
    page = login(world.psychologist).get(f"/people/{person.pk}/").content.decode().lower()
    assert "row key" not in page and "row_key" not in page
    row_key = str(MentalHealthDetails.objects.get(pk=visit.pk).row_key)
    assert row_key not in page
    answer = api_as(world.psychologist).get(f"/api/v1/persons/{person.pk}/record")
    assert answer.status_code == 200 and "row_key" not in answer.content.decode()
    assert "row_key" not in care_services.detail_fields("mental_health")
