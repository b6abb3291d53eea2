"""GET /api/v1/persons/{id}/record: the secret partagé through the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from parcours.access import services as access_services
from parcours.audit.models import AccessLog
from parcours.care import services as care_services

TEAM_NOTE_KEYS = {
    "id",
    "discipline",
    "category",
    "occurred_at",
    "site",
    "author",
    "is_first_visit",
    "level",
    "team_note",
}
CONFIDENTIAL = "HIV positive, on ART"


@pytest.fixture
def record(world):
    """record(actor, person, discipline, details=..., **data): through the care service."""

    def _record(actor, person, discipline, details=None, **data):
        data.setdefault("occurred_at", timezone.now() - timedelta(hours=1))
        return care_services.encounter_record(
            actor=actor,
            discipline=discipline,
            site=world.calais_day_centre,
            person=person,
            data=data,
            details=details or {},
        )

    return _record


def _url(person) -> str:
    return f"/api/v1/persons/{person.pk}/record"


@pytest.fixture
def amanuel(world, make_person, record):
    person = make_person()
    record(
        world.doctor,
        person,
        "medical",
        team_note="Needs rest, no heavy work",
        confidential_note=CONFIDENTIAL,
        details={"morbidity": "scabies", "diagnoses": ["B86"]},
    )
    record(
        world.social_worker,
        person,
        "social",
        team_note="Has AME now",
        confidential_note="Sleeps in the car park",
        details={"needs": ["housing"]},
    )
    return person


def _sections(response) -> dict[str, dict]:
    return {s["category"]: s for s in response.json()["sections"]}


def _consent(api, person, status):
    response = api.post(
        f"/api/v1/persons/{person.pk}/consents",
        {"kind": "team_sharing", "category": "medical", "status": status},
    )
    assert response.status_code == 201, response.json()


def test_the_author_reads_the_entry_in_full(world, amanuel, api_as):
    response = api_as(world.doctor).get(_url(amanuel))
    assert response.status_code == 200
    sections = _sections(response)
    entry = sections["medical"]["entries"][0]
    assert entry["level"] == "full"
    assert entry["confidential_note"] == CONFIDENTIAL
    assert ("Main morbidity", "Scabies") in {(d["label"], d["value"]) for d in entry["details"]}
    assert sections["social"] == {
        "category": "social",
        "label": "Social",
        "entries": [],
        "hidden_count": 1,
    }
    assert response.json()["person"]["codes"] == ["CAL-00001"]
    assert "Sleeps in the car park" not in response.content.decode()


def test_without_consent_another_discipline_sees_only_a_count(world, amanuel, api_as):
    response = api_as(world.social_worker).get(_url(amanuel))
    medical = _sections(response)["medical"]
    assert medical["entries"] == [] and medical["hidden_count"] == 1
    assert "Needs rest" not in response.content.decode()


def test_with_consent_the_social_worker_reads_the_team_note_and_nothing_else(
    world, amanuel, api_as
):
    _consent(api_as(world.doctor), amanuel, "given")
    response = api_as(world.social_worker).get(_url(amanuel))
    assert response.status_code == 200
    entry = _sections(response)["medical"]["entries"][0]
    assert entry["level"] == "team_note"
    assert entry["team_note"] == "Needs rest, no heavy work"
    assert set(entry) == TEAM_NOTE_KEYS  # no confidential_note, no details key
    content = response.content.decode()
    assert CONFIDENTIAL not in content and "Scabies" not in content and "B86" not in content
    assert [c["status"] for c in response.json()["consents"]] == ["given"]


def test_a_withdrawal_removes_the_entry_from_the_next_read(world, amanuel, api_as):
    doctor, social_worker = api_as(world.doctor), api_as(world.social_worker)
    _consent(doctor, amanuel, "given")
    assert _sections(social_worker.get(_url(amanuel)))["medical"]["entries"]
    _consent(doctor, amanuel, "withdrawn")
    medical = _sections(social_worker.get(_url(amanuel)))["medical"]
    assert medical["entries"] == [] and medical["hidden_count"] == 1


def test_a_person_of_another_project_is_404(world, amanuel, api_as):
    response = api_as(world.dunkerque_doctor).get(_url(amanuel))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert api_as(world.doctor).get("/api/v1/persons/999999/record").status_code == 404
    assert not AccessLog.objects.filter(what="record").exists()


@pytest.mark.parametrize("persona", ["admin", "meal", "advocacy", "safeguarding"])
def test_roles_reading_no_personal_data_get_404(world, amanuel, api_as, persona):
    assert api_as(world.users[persona]).get(_url(amanuel)).status_code == 404
    assert not AccessLog.objects.filter(what="record").exists()


def test_break_glass_opens_the_record_and_is_logged_as_such(world, amanuel, api_as):
    api = api_as(world.dunkerque_doctor)
    access_services.break_glass_open(
        actor=world.dunkerque_doctor,
        person=amanuel,
        reason="Unconscious at the Dunkerque camp, needs history",
    )
    response = api.get(_url(amanuel), {"purpose": "emergency"})
    assert response.status_code == 200
    body = response.json()
    assert body["break_glass"]["reason"].startswith("Unconscious")
    assert _sections(response)["medical"]["entries"][0]["confidential_note"] == CONFIDENTIAL
    assert "Sleeps in the car park" not in response.content.decode()
    log = AccessLog.objects.get(what="record")
    assert (log.user, log.person, log.break_glass, log.purpose) == (
        world.dunkerque_doctor,
        amanuel,
        True,
        "emergency",
    )


def test_each_read_writes_exactly_one_access_log_row(world, amanuel, api_as):
    api_as(world.social_worker).get(_url(amanuel), {"purpose": "housing follow-up"})
    log = AccessLog.objects.get()
    assert (log.user, log.person, log.what, log.channel) == (
        world.social_worker,
        amanuel,
        "record",
        "api",
    )
    assert log.purpose == "housing follow-up" and log.break_glass is False


@pytest.fixture
def hawa(world, make_person, record):
    survivor = make_person(given_name="Hawa", sex="female")
    record(
        world.doctor,
        survivor,
        "sv_incident",
        team_note="shared?",
        details={"gbv_type": "rape", "narrative": "Attacked near the canal"},
    )
    return survivor


def test_an_incident_is_absent_for_a_psychologist_not_in_the_care_team(world, hawa, api_as):
    response = api_as(world.psychologist).get(_url(hawa))
    assert response.status_code == 200
    body = response.json()
    assert body["sections"] == []
    assert body["restricted_count"] == 1
    content = response.content.decode()
    assert "sv_incident" not in content and "canal" not in content and "shared?" not in content


def test_an_incident_is_shown_to_its_author(world, hawa, api_as):
    body = api_as(world.doctor).get(_url(hawa)).json()
    entry = _sections_of(body)["sv_incident"]["entries"][0]
    assert entry["level"] == "full"
    assert ("Account of the incident", "Attacked near the canal") in {
        (d["label"], d["value"]) for d in entry["details"]
    }
    assert body["restricted_count"] == 0


def _sections_of(body) -> dict[str, dict]:
    return {s["category"]: s for s in body["sections"]}


def test_the_schema_says_what_a_team_note_entry_lacks(db, client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    entry = schemas["EntryOut"]
    assert set(entry["required"]) == TEAM_NOTE_KEYS
    for key in ("confidential_note", "details", "follow_up_on", "interpreter", "may_edit"):
        assert key in entry["properties"] and key not in entry["required"]
    assert "gestational_age_weeks" in schemas["EncounterDetailsIn"]["properties"]
