"""Custom fields through the API: under ``custom`` in persons and encounters."""

from django.utils import timezone

from parcours.care.models import Encounter
from parcours.customfields import services
from parcours.customfields.models import CustomValue
from parcours.people.models import Person
from tests.customfields.helpers import field


def test_person_created_with_custom_values_and_read_back(world, api_as):
    field(world, code="household_size", type="integer", min_value=1, max_value=30)
    field(world, code="programme", type="multiple_choice", choices=["ase", "pass"])
    api = api_as(world.reception)
    response = api.post(
        "/api/v1/persons",
        {
            "project": world.calais.pk,
            "given_name": "Selam",
            "custom": {"household_size": 4, "programme": ["pass"]},
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["custom"] == {"household_size": 4, "programme": ["pass"]}
    person_id = response.json()["id"]
    assert api.get(f"/api/v1/persons/{person_id}").json()["custom"]["household_size"] == 4


def test_wrong_type_is_a_422_naming_the_field_and_nothing_is_written(world, api_as):
    field(world, code="household_size", type="integer", label_fr="Foyer", label_en="Household")
    api = api_as(world.reception)
    response = api.post(
        "/api/v1/persons",
        {"project": world.calais.pk, "given_name": "Selam", "custom": {"household_size": "four"}},
    )
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == ["body", "custom.household_size"]
    assert not Person.objects.exists() and not CustomValue.objects.exists()
    response = api.post(
        "/api/v1/persons",
        {"project": world.calais.pk, "given_name": "Selam", "custom": {"unknown_code": 1}},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "custom.unknown_code"]
    response = api.post(
        "/api/v1/persons", {"project": world.calais.pk, "given_name": "Selam", "custom": [1]}
    )
    assert response.status_code == 422


def test_patch_changes_only_the_codes_sent_and_respects_the_version(world, make_person, api_as):
    size = field(world, code="household_size", type="integer")
    note = field(world, code="shoe_size", type="integer", required=True)
    person = make_person()
    api = api_as(world.reception)
    response = api.patch(
        f"/api/v1/persons/{person.pk}",
        {"version": person.version, "custom": {"household_size": 3}},
    )
    # The required field added before the person existed is not asked of them.
    assert response.status_code == 200, response.json()
    assert services.stored_values([size, note], person=person) == {size.pk: 3}


def test_receptionist_never_reads_a_medical_custom_field(world, make_person, api_as):
    medical = field(world, code="diabetic", type="yes_no", category="medical")
    person = make_person()
    services.values_save(
        actor=world.doctor,
        fields=[medical],
        values={medical.pk: True},
        project=world.calais,
        person=person,
    )
    assert api_as(world.reception).get(f"/api/v1/persons/{person.pk}").json()["custom"] == {}
    assert api_as(world.doctor).get(f"/api/v1/persons/{person.pk}").json()["custom"] == {
        "diabetic": True
    }
    # Nor writes one: it is not a field they may fill.
    response = api_as(world.reception).patch(
        f"/api/v1/persons/{person.pk}",
        {"version": person.version, "custom": {"diabetic": False}},
    )
    assert response.status_code == 422


def test_encounter_with_custom_values_and_the_record(world, make_person, api_as):
    field(world, target="medical", code="malaria_rdt", type="yes_no")
    field(world, target="medical", code="fever_days", type="decimal", min_value=0, max_value=30)
    person = make_person()
    api = api_as(world.doctor)
    body = {
        "discipline": "medical",
        "occurred_at": timezone.now().isoformat(),
        "site": world.calais_day_centre.pk,
        "custom": {"malaria_rdt": True, "fever_days": 50},
    }
    response = api.post(f"/api/v1/persons/{person.pk}/encounters", body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "custom.fever_days"]
    assert not Encounter.objects.exists()
    body["custom"]["fever_days"] = 2.5
    response = api.post(f"/api/v1/persons/{person.pk}/encounters", body)
    assert response.status_code == 201, response.json()
    assert response.json()["custom"] == {"malaria_rdt": True, "fever_days": 2.5}
    record = api.get(f"/api/v1/persons/{person.pk}/record").json()
    details = record["sections"][0]["entries"][0]["details"]
    assert {"label": "malaria rdt", "value": "yes"} in details


def test_definitions_list_codes_and_types_per_caller(world, api_as):
    field(world, code="programme", type="single_choice", choices=["ase"])
    field(world, code="diabetic", type="yes_no", category="medical")
    url = f"/api/v1/projects/{world.calais.pk}/custom-fields?target=person"
    codes = [f["code"] for f in api_as(world.reception).get(url).json()]
    assert codes == ["programme"]
    doctor = api_as(world.doctor).get(url).json()
    assert {f["code"]: f["type"] for f in doctor} == {
        "programme": "single_choice",
        "diabetic": "yes_no",
    }
    assert api_as(world.reception).get(url.replace("person", "nope")).status_code == 422
    assert api_as(world.dunkerque_doctor).get(url).status_code == 404
