from parcours.audit.models import AccessLog, AuditEvent
from parcours.people.models import Person


def _create(api, world, **fields):
    return api.post("/api/v1/persons", {"project": world.calais.pk, **fields})


def test_reception_registers_a_person_with_the_next_calais_code(world, api_as):
    response = _create(
        api_as(world.reception),
        world,
        given_name="Amanuel",
        family_name="Tesfay",
        name_original="ኣማኑኤል",
        sex="male",
        birth_date="2008-03-01",
        birth_date_precision="estimated",
        nationality="er",
        languages=["ti", "AR"],
        flags=["unaccompanied_minor"],
        aliases=["Emmanuel"],
        phone="0601020304",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["codes"] == ["CAL-00001"]
    assert (body["birth_date"], body["nationality"], body["version"]) == ("2008-03-01", "ER", 1)
    assert [lang["code"] for lang in body["languages"]] == ["ti", "ar"]
    assert body["flags"] == [{"code": "unaccompanied_minor", "label": "Unaccompanied minor"}]
    assert body["contact"]["phone"] == "0601020304"
    person = Person.objects.get(pk=body["id"])
    assert person.created_by == world.reception
    assert AuditEvent.objects.filter(event="person.create", subject_id=str(person.pk)).exists()
    second = _create(api_as(world.reception), world, given_name="Selam")
    assert second.json()["codes"] == ["CAL-00002"]


def test_outreach_may_register_but_not_record_contact(world, api_as):
    api = api_as(world.outreach)
    refused = _create(api, world, given_name="Selam", phone="0601")
    assert refused.status_code == 422
    assert {tuple(e["loc"]) for e in refused.json()["detail"]} == {("body", "phone")}
    created = _create(api, world, given_name="Selam")
    assert created.status_code == 201
    assert "contact" not in created.json()


def test_project_out_of_scope_is_404_and_role_without_creation_is_403(world, api_as):
    assert _create(api_as(world.dunkerque_doctor), world, given_name="X").status_code == 404
    missing = api_as(world.reception).post(
        "/api/v1/persons", {"project": world.calais.pk + 999, "given_name": "X"}
    )
    assert missing.status_code == 404
    for persona in ("meal", "admin", "advocacy"):
        response = _create(api_as(world.users[persona]), world, given_name="X")
        assert response.status_code == 403, persona
        assert response.json()["detail"]
    assert not Person.objects.exists()


def test_closed_project_refuses_registration_as_a_field_error(world, api_as):
    world.calais.status = "closed"
    world.calais.save()
    response = _create(api_as(world.reception), world, given_name="X")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "project"]


def test_duplicate_check_answers_409_until_confirmed(world, make_person, api_as):
    existing = make_person(given_name="Mohamed", family_name="Ali", nationality="SD")
    api = api_as(world.reception)
    fields = {"given_name": "Muhammad", "family_name": "Ali", "nationality": "SD"}
    response = _create(api, world, check_duplicates=True, **fields)
    assert response.status_code == 409
    assert [d["person"]["id"] for d in response.json()["duplicates"]] == [existing.pk]
    assert Person.objects.count() == 1
    assert AccessLog.objects.filter(person=existing, what="identity-summary").exists()
    confirmed = _create(api, world, check_duplicates=True, confirm_not_duplicate=True, **fields)
    assert confirmed.status_code == 201
    assert Person.objects.count() == 2


def test_duplicate_check_only_looks_at_visible_persons(world, make_person, api_as):
    make_person(project=world.dunkerque, actor=world.referent, given_name="Mohamed")
    response = _create(api_as(world.reception), world, given_name="Muhammad", check_duplicates=True)
    assert response.status_code == 201


def test_patch_changes_fields_bumps_version_and_audits(world, make_person, api_as):
    person = make_person()
    response = api_as(world.social_worker).patch(
        f"/api/v1/persons/{person.pk}",
        {"version": 1, "family_name": "Tesfaye", "flags": ["single_parent"]},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["version"], body["family_name"]) == (2, "Tesfaye")
    assert [f["code"] for f in body["flags"]] == ["single_parent"]
    event = AuditEvent.objects.get(event="person.update")
    assert (event.actor, event.subject_id) == (world.social_worker, str(person.pk))
    assert event.changes["family_name"] == ["Tesfay", "Tesfaye"]
    assert event.extra["version"] == 2


def test_stale_patch_is_409_with_the_changes_and_writes_nothing(world, make_person, api_as):
    person = make_person(phone="0601")
    api_as(world.coordinator).patch(
        f"/api/v1/persons/{person.pk}", {"version": 1, "given_name": "Emmanuel", "phone": "0699"}
    )
    response = api_as(world.reception).patch(
        f"/api/v1/persons/{person.pk}", {"version": 1, "family_name": "Other"}
    )
    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == 2
    assert body["changes"] == {"given_name": ["Amanuel", "Emmanuel"], "phone": ["0601", "0699"]}
    person.refresh_from_db()
    assert (person.family_name, person.version) == ("Tesfay", 2)
    assert AuditEvent.objects.filter(event="person.update").count() == 1


def test_stale_patch_hides_contact_changes_from_outreach(world, make_person, api_as):
    person = make_person(phone="0601")
    api_as(world.coordinator).patch(
        f"/api/v1/persons/{person.pk}", {"version": 1, "given_name": "Emmanuel", "phone": "0699"}
    )
    response = api_as(world.outreach).patch(
        f"/api/v1/persons/{person.pk}", {"version": 1, "family_name": "Other"}
    )
    assert response.status_code == 409
    assert response.json()["changes"] == {"given_name": ["Amanuel", "Emmanuel"]}


def test_patch_needs_a_version_and_valid_fields(world, make_person, api_as):
    person = make_person()
    api = api_as(world.reception)
    missing = api.patch(f"/api/v1/persons/{person.pk}", {"family_name": "X"})
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "version"]
    empty = api.patch(f"/api/v1/persons/{person.pk}", {"version": 1, "given_name": "  "})
    assert empty.status_code == 422
    assert empty.json()["detail"][0]["loc"] == ["body", "given_name"]
    person.refresh_from_db()
    assert (person.given_name, person.version) == ("Amanuel", 1)


def test_patch_follows_the_edit_policy(world, make_person, api_as):
    person = make_person()
    for persona in ("dunkerque_doctor", "meal", "admin", "advocacy", "safeguarding"):
        response = api_as(world.users[persona]).patch(
            f"/api/v1/persons/{person.pk}", {"version": 1, "family_name": "X"}
        )
        assert response.status_code == 404, persona
    outreach = api_as(world.outreach).patch(
        f"/api/v1/persons/{person.pk}", {"version": 1, "phone": "0601"}
    )
    assert outreach.status_code == 422, "outreach may edit identity, not contact"
    person.refresh_from_db()
    assert (person.family_name, person.phone, person.version) == ("Tesfay", "", 1)
