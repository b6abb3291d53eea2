"""Custom fields in the person and encounter forms, on the person page, in the
history; the design pages."""

from datetime import timedelta

from django.utils import timezone

from parcours.care import models as care_models
from parcours.customfields import services
from parcours.customfields.models import CustomField, CustomValue
from parcours.people.models import Person
from tests.customfields.helpers import field

PERSON_FORM = {
    "project": "",
    "given_name": "Senait",
    "family_name": "Tesfay",
    "sex": "female",
    "birth_date": "2000-01-01",
    "birth_date_precision": "declared",
    "not_a_duplicate": "on",
}


def _person_form(world, **extra):
    return {**PERSON_FORM, "project": world.calais.pk, **extra}


def test_registration_form_asks_the_project_fields_and_saves_them(world, login):
    programme = field(world, code="programme", type="single_choice", choices=["ase", "pass"])
    prefix = f"cf{world.calais.pk}-"
    client = login(world.reception)
    page = client.get("/people/new/").content.decode()
    assert f'name="{prefix}programme"' in page
    response = client.post("/people/new/", _person_form(world, **{f"{prefix}programme": "pass"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get()
    assert CustomValue.objects.get(field=programme, person=person).text == "pass"
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "Fields of the project" in page and "Pass" in page


def test_registration_refuses_a_bad_value_and_saves_nothing(world, login):
    field(world, code="children", type="integer", min_value=0, max_value=20, label_en="Children")
    prefix = f"cf{world.calais.pk}-"
    response = login(world.reception).post(
        "/people/new/", _person_form(world, **{f"{prefix}children": "abc"})
    )
    assert response.status_code == 200
    assert "must be a number" in response.content.decode()
    assert not Person.objects.exists() and not CustomValue.objects.exists()


def test_required_field_with_relevance_is_checked_on_the_server(world, login):
    housed = field(world, code="housed", type="yes_no")
    field(
        world,
        code="housing_kind",
        type="text",
        required=True,
        relevant_field=housed,
        relevant_values=["yes"],
        label_en="Kind of housing",
    )
    prefix = f"cf{world.calais.pk}-"
    client = login(world.reception)
    response = client.post("/people/new/", _person_form(world, **{f"{prefix}housed": "yes"}))
    assert response.status_code == 200 and "is required" in response.content.decode()
    response = client.post("/people/new/", _person_form(world, **{f"{prefix}housed": "no"}))
    assert response.status_code == 302


def test_edit_form_changes_values_and_history_shows_them_to_who_sees_the_category(
    world, make_person, login
):
    programme = field(world, code="programme", type="text", label_en="Programme")
    medical = field(world, code="diabetic", type="yes_no", category="medical", label_en="Diabetic")
    person = make_person()
    services.values_save(
        actor=world.doctor,
        fields=[medical],
        values={medical.pk: True},
        project=world.calais,
        person=person,
    )
    prefix = f"cf{world.calais.pk}-"
    client = login(world.reception)
    page = client.get(f"/people/{person.pk}/edit/").content.decode()
    assert f'name="{prefix}programme"' in page and "diabetic" not in page
    response = client.post(
        f"/people/{person.pk}/edit/",
        {
            "version": person.version,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "sex": "male",
            "birth_date_precision": "declared",
            f"{prefix}programme": "ASE",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CustomValue.objects.get(field=programme).text == "ASE"
    history = client.get(f"/people/{person.pk}/history/").content.decode()
    assert "programme" in history and "diabetic" not in history
    history = login(world.doctor).get(f"/people/{person.pk}/history/").content.decode()
    assert "diabetic" in history


def test_receptionist_never_sees_a_medical_custom_field(world, make_person, login):
    medical = field(world, code="diabetic", type="yes_no", category="medical", label_en="Diabetic")
    person = make_person()
    services.values_save(
        actor=world.doctor,
        fields=[medical],
        values={medical.pk: True},
        project=world.calais,
        person=person,
    )
    assert "Diabetic" not in login(world.reception).get(f"/people/{person.pk}/").content.decode()
    assert "Diabetic" in login(world.doctor).get(f"/people/{person.pk}/").content.decode()


def test_encounter_form_asks_its_discipline_fields_and_the_record_shows_them(
    world, make_person, login
):
    rdt = field(world, target="medical", code="malaria_rdt", type="yes_no", label_en="Malaria RDT")
    person = make_person()
    client = login(world.doctor)
    url = f"/care/new/medical/?person={person.pk}"
    prefix = f"cf{world.calais.pk}-"
    assert f'name="{prefix}malaria_rdt"' in client.get(url).content.decode()
    occurred = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    data = {"occurred_at": occurred, "site": world.calais_day_centre.pk, "interpreter_mode": ""}
    response = client.post(url, {**data, f"{prefix}malaria_rdt": "maybe"})
    assert response.status_code == 200 and not care_models.Encounter.objects.exists()
    response = client.post(url, {**data, f"{prefix}malaria_rdt": "yes"})
    assert response.status_code == 302, response.content.decode()[:3000]
    encounter = care_models.Encounter.objects.get()
    assert CustomValue.objects.get(field=rdt, encounter=encounter).boolean is True
    assert "Malaria RDT" in client.get(f"/people/{person.pk}/").content.decode()
    # The social worker sees neither the consultation nor its custom values.
    page = login(world.social_worker).get(f"/people/{person.pk}/").content.decode()
    assert "Malaria RDT" not in page


def test_encounter_edit_page_shows_and_changes_the_custom_values(world, make_person, login):
    rdt = field(world, target="medical", code="malaria_rdt", type="yes_no", label_en="Malaria RDT")
    person = make_person()
    client = login(world.doctor)
    prefix = f"cf{world.calais.pk}-"
    occurred = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    data = {"occurred_at": occurred, "site": world.calais_day_centre.pk, "interpreter_mode": ""}
    client.post(f"/care/new/medical/?person={person.pk}", {**data, f"{prefix}malaria_rdt": "yes"})
    encounter = care_models.Encounter.objects.get()
    edit = f"/care/{encounter.pk}/edit/"
    page = client.get(edit).content.decode()
    assert f'name="{prefix}malaria_rdt"' in page
    version = {"version": encounter.version}
    refused = client.post(edit, {**data, **version, f"{prefix}malaria_rdt": "maybe"})
    assert refused.status_code == 200
    assert CustomValue.objects.get(field=rdt, encounter=encounter).boolean is True
    saved = client.post(edit, {**data, **version, f"{prefix}malaria_rdt": "no"})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert CustomValue.objects.get(field=rdt, encounter=encounter).boolean is False


def test_design_pages_for_the_coordinator(world, login):
    client = login(world.coordinator)
    assert client.get("/custom-fields/").status_code == 200
    url = f"/custom-fields/{world.calais.pk}/person/new/"
    response = client.post(
        url,
        {
            "code": "programme",
            "type": "single_choice",
            "label_fr": "Programme",
            "category": "identity",
            "choices": "ase | ASE | Child welfare\npass | PASS | PASS",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = CustomField.objects.get()
    assert [c.code for c in created.choices.all()] == ["ase", "pass"]
    response = client.post(
        url, {"code": "birth_date", "type": "date", "label_fr": "x", "category": "identity"}
    )
    assert response.status_code == 200 and "built-in" in response.content.decode()
    page = client.get(f"/custom-fields/{world.calais.pk}/person/").content.decode()
    assert "programme" in page
    # The medical forms are not the coordinator's.
    assert client.get(f"/custom-fields/{world.calais.pk}/medical/").status_code == 404
    assert (
        login(world.referent).get(f"/custom-fields/{world.calais.pk}/medical/").status_code == 200
    )


def test_coordinator_cannot_lower_a_medical_field_through_the_page(world, login):
    f = field(world, target="person", code="diabetic", type="yes_no", category="medical")
    assert login(world.coordinator).get(f"/custom-fields/field/{f.pk}/").status_code == 404


def test_subject_access_export_and_erasure(world, make_person, client):
    import json

    from parcours.gdpr import services as gdpr_services
    from parcours.gdpr.models import Anonymisation
    from tests.gdpr.test_gdpr import export_json, record_request

    programme = field(world, code="programme", type="single_choice", choices=["ase"])
    story = field(world, code="story", type="long_text")
    medical = field(world, code="diabetic", type="yes_no", category="medical", label_en="Diabetic")
    person = make_person()
    services.values_save(
        actor=world.coordinator,
        fields=[programme, story],
        values={programme.pk: "ase", story.pk: "Came by boat"},
        project=world.calais,
        person=person,
    )
    services.values_save(
        actor=world.doctor,
        fields=[medical],
        values={medical.pk: True},
        project=world.calais,
        person=person,
    )
    client.force_login(world.coordinator)
    assert record_request(client, person).status_code == 302
    sections = {x["key"]: x for x in export_json(client, person)["sections"]}
    content = json.dumps(sections["custom_fields"], ensure_ascii=False)
    assert "Came by boat" in content and "Diabetic" not in content
    gdpr_services.anonymise(person, cause=Anonymisation.Cause.ERASURE)
    assert not CustomValue.objects.filter(field=story).exists()
    assert CustomValue.objects.filter(field=programme).exists()


def test_people_export_has_the_person_fields_the_user_may_export(world, make_person, login):
    from io import BytesIO

    from openpyxl import load_workbook

    programme = field(world, code="programme", type="single_choice", choices=["ase", "pass"])
    diabetic = field(world, code="diabetic", type="yes_no", category="medical", label_en="Diabetic")
    senait, yonas = make_person(given_name="Senait"), make_person(given_name="Yonas")
    for person, value in ((senait, "pass"), (yonas, None)):
        if value:
            services.values_save(
                actor=world.coordinator,
                fields=[programme],
                values={programme.pk: value},
                project=world.calais,
                person=person,
            )
    services.values_save(
        actor=world.doctor,
        fields=[diabetic],
        values={diabetic.pk: True},
        project=world.calais,
        person=senait,
    )
    response = login(world.coordinator).get("/people/export.xlsx")
    assert response.status_code == 200
    rows = [
        list(r) for r in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)
    ]
    header = rows[0]
    assert "programme" in header and "Diabetic" not in header  # no role exports medical
    column = header.index("programme")
    values = {row[1]: row[column] for row in rows[1:]}
    assert values == {"Senait": "Pass", "Yonas": None}
