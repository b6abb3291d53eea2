"""POST /api/v1/persons/{id}/encounters and POST /api/v1/encounters."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.care.models import Diagnosis, Encounter, MedicalDetails, Tally
from parcours.org.models import ActivityType, Site


def _url(person) -> str:
    return f"/api/v1/persons/{person.pk}/encounters"


def _body(world, **fields) -> dict:
    body = {
        "discipline": "medical",
        "occurred_at": (timezone.now() - timedelta(hours=2)).isoformat(),
        "site": world.calais_day_centre.pk,
        "team_note": "Needs rest, no heavy work",
        "confidential_note": "HIV positive, on ART",
    }
    body.update(fields)
    return body


def _locs(response) -> set[tuple]:
    return {tuple(error["loc"]) for error in response.json()["detail"]}


def _nothing_written():
    assert not Encounter.objects.exists()
    assert not MedicalDetails.objects.exists()
    assert not AuditEvent.objects.filter(event="encounter.record").exists()


@pytest.fixture
def doctor(world, api_as):
    return api_as(world.doctor)


def test_doctor_records_an_encounter_with_the_minimal_body(world, make_person, doctor):
    person = make_person()
    day = timezone.localdate() - timedelta(days=2)
    response = doctor.post(
        _url(person),
        {
            "discipline": "medical",
            "occurred_at": f"{day.isoformat()}T10:00:00+01:00",
            "site": world.calais_day_centre.pk,
            "team_note": "Needs rest",
            "confidential_note": "HIV positive",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    encounter = Encounter.objects.get()
    assert body["id"] == encounter.pk
    assert (body["discipline"], body["person"], body["version"]) == ("medical", person.pk, 1)
    assert body["is_first_visit"] is True
    assert body["occurred_at"].startswith(f"{day.isoformat()}T09:00:00")
    assert body["confidential_note"] == "HIV positive"
    assert encounter.author == world.doctor and encounter.project == world.calais
    assert encounter.confidential_note == "HIV positive"
    assert AuditEvent.objects.filter(
        event="encounter.record", subject_id=str(encounter.pk)
    ).exists()


def test_a_second_encounter_of_the_discipline_is_not_a_first_visit(world, make_person, doctor):
    person = make_person()
    assert doctor.post(_url(person), _body(world)).json()["is_first_visit"] is True
    assert doctor.post(_url(person), _body(world)).json()["is_first_visit"] is False


def test_structured_details_are_validated_and_stored(world, make_person, doctor):
    person = make_person(sex="female", birth_date=date(1998, 5, 1))
    details = {
        "gestational_age_weeks": 12,
        "pregnant": True,
        "diagnoses": ["a09"],
        "hours_since_incident": 30,
        "pep_given": True,
        "temperature_c": 37.5,
        "morbidity": "diarrhoea",
    }
    response = doctor.post(
        _url(person),
        _body(world, details=details, interpreter_mode="phone", interpreter_language="TI"),
    )
    assert response.status_code == 201, response.json()
    out = response.json()["details"]
    assert out["gestational_age_weeks"] == 12 and out["pep_given"] is True
    assert out["diagnoses"] == ["A09"] and out["temperature_c"] == 37.5
    assert response.json()["interpreter_language"] == "ti"
    medical = MedicalDetails.objects.get()
    assert (medical.hours_since_incident, medical.morbidity) == (30, "diarrhoea")
    assert list(Diagnosis.objects.values_list("icd10", flat=True)) == ["A09"]


future = (timezone.now() + timedelta(days=2)).isoformat()


@pytest.mark.parametrize(
    ("fields", "loc"),
    [
        ({"occurred_at": "2007-01-10T10:00:00+01:00"}, ("body", "occurred_at")),
        ({"occurred_at": future}, ("body", "occurred_at")),
        ({"occurred_at": "yesterday"}, ("body", "occurred_at")),
        ({"details": {"gestational_age_weeks": 50}}, ("body", "details", "gestational_age_weeks")),
        (
            {"details": {"gestational_age_weeks": "twelve"}},
            ("body", "details", "gestational_age_weeks"),
        ),
        (
            {"details": {"gestational_age_weeks": 12, "pregnant": False}},
            ("body", "details", "gestational_age_weeks"),
        ),
        ({"details": {"hours_since_incident": -1}}, ("body", "details", "hours_since_incident")),
        ({"details": {"diagnoses": ["Z99.99"]}}, ("body", "details", "diagnoses")),
        ({"details": {"pulse_bpm": 400}}, ("body", "details", "pulse_bpm")),
        ({"details": {"morbidity": "flu"}}, ("body", "details", "morbidity")),
        ({"details": {"needs": ["housing"]}}, ("body", "details", "needs")),
        ({"details": {"favourite_colour": "blue"}}, ("body", "details", "favourite_colour")),
        ({"follow_up_on": "2008-01-01"}, ("body", "follow_up_on")),
        ({"interpreter_language": "zz"}, ("body", "interpreter_language")),
        ({"interpreter_mode": "telepathy"}, ("body", "interpreter_mode")),
        ({"confidential_note": "HIV\x00"}, ("body", "confidential_note")),
        ({"activity": 10**30}, ("body", "activity")),
        ({"site": "calais"}, ("body", "site")),
        ({"extra": 1}, ("body", "extra")),
    ],
)
def test_bad_values_are_field_errors_and_nothing_is_written(
    world, make_person, doctor, fields, loc
):
    person = make_person(birth_date=date(2008, 3, 1))
    response = doctor.post(_url(person), _body(world, **fields))
    assert response.status_code == 422, response.json()
    assert loc in {tuple(e["loc"][: len(loc)]) for e in response.json()["detail"]}
    for error in response.json()["detail"]:
        assert error["msg"] and error["type"]
    _nothing_written()


def test_unknown_discipline_is_a_field_error(world, make_person, doctor):
    response = doctor.post(_url(make_person()), _body(world, discipline="dentistry"))
    assert response.status_code == 422
    assert _locs(response) == {("body", "discipline")}
    _nothing_written()


def test_a_site_of_another_project_is_refused_like_a_nonexistent_one(world, make_person, doctor):
    person = make_person()
    missing = Site.objects.order_by("-pk").first().pk + 100
    other = doctor.post(_url(person), _body(world, site=world.dunkerque_camp.pk))
    nonexistent = doctor.post(_url(person), _body(world, site=missing))
    assert other.status_code == nonexistent.status_code == 422
    assert other.json() == nonexistent.json()
    assert _locs(other) == {("body", "site")}
    _nothing_written()


def test_every_error_is_reported_at_once(world, make_person, doctor):
    response = doctor.post(
        _url(make_person()),
        _body(world, site=world.dunkerque_camp.pk, details={"gestational_age_weeks": 50}),
    )
    assert _locs(response) == {("body", "site"), ("body", "details", "gestational_age_weeks")}


def test_an_inactive_site_is_a_field_error(world, make_person, doctor):
    Site.objects.filter(pk=world.calais_day_centre.pk).update(is_active=False)
    response = doctor.post(_url(make_person()), _body(world))
    assert response.status_code == 422
    assert _locs(response) == {("body", "site")}
    _nothing_written()


def test_a_role_that_may_not_record_the_discipline_gets_403(world, make_person, api_as):
    person = make_person()
    for persona, discipline in (
        ("social_worker", "medical"),
        ("doctor", "social"),
        ("coordinator", "mental_health"),
        ("reception", "medical"),
    ):
        response = api_as(world.users[persona]).post(
            _url(person), _body(world, discipline=discipline)
        )
        assert response.status_code == 403, (persona, discipline)
        assert response.json()["detail"]
    _nothing_written()


def test_a_person_out_of_scope_is_404(world, make_person, api_as):
    person = make_person()
    body = _body(world, site=world.dunkerque_camp.pk)
    assert api_as(world.dunkerque_doctor).post(_url(person), body).status_code == 404
    for persona in ("admin", "meal", "advocacy"):
        assert api_as(world.users[persona]).post(_url(person), _body(world)).status_code == 404
    assert (
        api_as(world.doctor).post("/api/v1/persons/999999/encounters", _body(world)).status_code
        == 404
    )
    _nothing_written()


def test_an_incident_needs_its_type_and_is_then_recorded(world, make_person, doctor):
    person = make_person(sex="female")
    refused = doctor.post(_url(person), _body(world, discipline="sv_incident", details={}))
    assert refused.status_code == 422
    assert _locs(refused) == {("body", "details", "gbv_type")}
    assert not Encounter.objects.exists()
    created = doctor.post(
        _url(person), _body(world, discipline="sv_incident", details={"gbv_type": "rape"})
    )
    assert created.status_code == 201
    assert created.json()["details"]["gbv_type"] == "rape"


def test_the_activity_is_given_by_id_or_code_and_must_be_run_at_the_site(
    world, make_person, api_as
):
    person = make_person()
    api = api_as(world.social_worker)
    day_centre = ActivityType.objects.get(code="day_centre")
    for activity in (day_centre.pk, "day_centre"):
        response = api.post(_url(person), _body(world, discipline="social", activity=activity))
        assert response.status_code == 201, response.json()
        assert response.json()["activity"] == day_centre.pk
    for activity, message in (("mobile_clinic", "not run at this site"), ("sauna", "Unknown")):
        response = api.post(_url(person), _body(world, discipline="social", activity=activity))
        assert response.status_code == 422
        assert _locs(response) == {("body", "activity")}
        assert message in response.json()["detail"][0]["msg"]


def test_anonymous_tallies_are_recorded_without_a_person(world, api_as):
    response = api_as(world.outreach).post(
        "/api/v1/encounters",
        _body(
            world,
            discipline="day_centre",
            team_note="",
            confidential_note="",
            details={
                "services": ["shower", "meal"],
                "tallies": [
                    {"sex": "male", "age_group": "18-24", "count": 14},
                    {"sex": "female", "age_group": "unknown", "count": 2},
                ],
            },
        ),
    )
    assert response.status_code == 201, response.json()
    assert response.json()["person"] is None
    assert response.json()["details"]["services"] == ["shower", "meal"]
    assert sum(Tally.objects.values_list("count", flat=True)) == 16


def test_only_activities_are_recorded_without_a_person(world, api_as):
    doctor = api_as(world.doctor)
    response = doctor.post("/api/v1/encounters", _body(world))
    assert response.status_code == 422
    assert _locs(response) == {("body", "discipline")}
    bad_tally = api_as(world.outreach).post(
        "/api/v1/encounters",
        _body(world, discipline="outreach", details={"tallies": [{"sex": "x", "count": 1}]}),
    )
    assert bad_tally.status_code == 422
    assert {loc[:3] for loc in _locs(bad_tally)} == {("body", "details", "tallies")}
    assert not Encounter.objects.exists()


def test_a_caller_outside_the_sites_project_gets_a_site_error(world, api_as):
    body = _body(world, discipline="day_centre")
    for persona in ("dunkerque_doctor", "nobody"):
        response = api_as(world.users[persona]).post("/api/v1/encounters", body)
        assert response.status_code == 422
        assert _locs(response) == {("body", "site")}
    assert not Encounter.objects.exists()
