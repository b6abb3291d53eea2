"""Every page or endpoint that shows personal data writes its access-log row.

The page walk takes every URL pattern with a ``person_id`` and the API walk
every GET path with an ``{id}`` of a person: add a route that shows a person
without logging the read, and these tests fail.
"""

from datetime import timedelta

from django.urls import get_resolver, reverse
from django.utils import timezone

from parcours.access import services as access_services
from parcours.audit.models import AccessLog
from tests.test_authorisation_matrix import _walk

# Who opens each page: a persona allowed to; the doctor when not named.
PERSONA_FOR = {
    "people:access_log": "coordinator",
    "people:merge": "coordinator",
    "people:merge_undo": "coordinator",
    "dossier:care_team": "coordinator",
    "gdpr:access_request": "coordinator",
    "gdpr:access_export": "coordinator",
    "gdpr:erasure": "coordinator",
    "cases:case_open": "social_worker",
}
DEFAULT_PERSONA = "doctor"
# What the row says, for the pages whose read is known.
WHAT = {
    "dossier:person": "record",
    "people:edit": "identity",
    "people:history": "history",
    "people:access_log": "access_log",
    "dossier:consents": "consents",
    "dossier:care_team": "care_team",
}


def an_hour_ago():
    return timezone.now() - timedelta(hours=1)


def person_routes():
    return [
        (name, pattern)
        for name, pattern in _walk(get_resolver().url_patterns)
        if "person_id" in pattern.pattern.converters
    ]


def new_rows(since: int):
    return list(AccessLog.objects.filter(id__gt=since).order_by("id"))


def last_id() -> int:
    return AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_every_person_page_writes_one_access_log_row(world, targets, client):
    person = targets["person"]
    problems = {}
    walked = set()
    for name, pattern in person_routes():
        user = world.users[PERSONA_FOR.get(name, DEFAULT_PERSONA)]
        client.force_login(user)
        kwargs = {k: targets[k] for k in pattern.pattern.converters}
        since = last_id()
        response = client.get(reverse(name, kwargs=kwargs))
        if response.status_code == 405:
            continue  # an action (POST only): it shows nothing
        walked.add(name)
        rows = new_rows(since)
        if response.status_code != 200:
            problems[name] = f"status {response.status_code} as {user}"
        elif [(r.person_id, r.user_id, r.channel) for r in rows] != [(person.pk, user.pk, "web")]:
            problems[name] = [(r.person_id, r.user_id, r.what, r.channel) for r in rows]
        elif name in WHAT and rows[0].what != WHAT[name]:
            problems[name] = f"what {rows[0].what!r}, expected {WHAT[name]!r}"
    assert set(WHAT) <= walked, f"the walk missed {set(WHAT) - walked}"
    assert problems == {}


def test_encounter_form_about_a_person_writes_one_row(world, targets, login):
    person = targets["person"]
    since = last_id()
    url = f"{reverse('care:new', args=['medical'])}?person={person.pk}"
    assert login(world.doctor).get(url).status_code == 200
    rows = new_rows(since)
    assert [(r.person_id, r.user_id, r.what, r.channel) for r in rows] == [
        (person.pk, world.doctor.pk, "identity", "web")
    ]


def test_encounter_edit_page_writes_one_row(world, targets, login):
    person = targets["person"]
    since = last_id()
    url = reverse("care:edit", args=[targets["encounter_id"]])
    assert login(world.doctor).get(url).status_code == 200
    rows = new_rows(since)
    assert [(r.person_id, r.user_id, r.what, r.channel) for r in rows] == [
        (person.pk, world.doctor.pk, "encounter", "web")
    ]


def test_people_list_writes_one_summary_row_per_person_shown(world, make_person, login):
    shown = {make_person(given_name=n).pk for n in ("Abrehet", "Senait", "Tsega")}
    since = last_id()
    assert login(world.reception).get(reverse("people:list")).status_code == 200
    rows = new_rows(since)
    assert sorted(r.person_id for r in rows) == sorted(shown)
    assert {(r.user_id, r.what, r.channel) for r in rows} == {
        (world.reception.pk, "identity-summary", "web")
    }


def test_people_search_logs_only_the_persons_found(world, make_person, login):
    found = make_person(given_name="Abrehet", family_name="Woldu")
    make_person(given_name="Senait", family_name="Tekle")
    since = last_id()
    response = login(world.reception).get(reverse("people:list"), {"q": "Abrehet"})
    assert response.status_code == 200
    rows = new_rows(since)
    assert [(r.person_id, r.what) for r in rows] == [(found.pk, "identity-summary")]


def test_duplicate_check_logs_the_candidates_shown(world, make_person, login):
    candidate = make_person(given_name="Abrehet", family_name="Woldu")
    make_person(given_name="Senait", family_name="Tekle")
    since = last_id()
    response = login(world.reception).post(
        reverse("people:duplicates"), {"given_name": "Abrehet", "family_name": "Woldu"}
    )
    assert response.status_code == 200
    assert "Abrehet" in response.content.decode()
    rows = new_rows(since)
    assert [(r.person_id, r.user_id, r.what, r.channel) for r in rows] == [
        (candidate.pk, world.reception.pk, "identity-summary", "web")
    ]


def test_break_glass_review_list_logs_the_persons_it_names(world, make_person, login):
    person = make_person(given_name="Abrehet", family_name="Woldu")
    access_services.break_glass_open(
        actor=world.dunkerque_doctor, person=person, reason="Seen unconscious at the camp today"
    )
    since = last_id()
    response = login(world.coordinator).get(reverse("dossier:break_glass_review"))
    assert response.status_code == 200
    assert "Abrehet" in response.content.decode()
    rows = new_rows(since)
    assert [(r.person_id, r.user_id, r.what) for r in rows] == [
        (person.pk, world.coordinator.pk, "identity-summary")
    ]


# --------------------------------------------------------------------- API


def test_api_list_writes_one_row_per_person_returned(world, make_person, api_as):
    shown = {make_person(given_name=n).pk for n in ("Abrehet", "Senait")}
    since = last_id()
    body = api_as(world.reception).get("/api/v1/persons").json()
    assert {r["id"] for r in body["results"]} == shown
    rows = new_rows(since)
    assert sorted(r.person_id for r in rows) == sorted(shown)
    assert {(r.user_id, r.what, r.channel) for r in rows} == {
        (world.reception.pk, "identity-summary", "api")
    }


def _api_person_paths():
    from parcours.api.api import api as ninja_api

    paths = ninja_api.get_openapi_schema()["paths"]
    return sorted(
        path.removeprefix("/api/v1")
        for path, operations in paths.items()
        if "/persons/{id}" in path and "get" in operations
    )


def test_every_api_read_of_a_person_writes_one_row(world, targets, api_as):
    person = targets["person"]
    paths = _api_person_paths()
    assert {"/persons/{id}", "/persons/{id}/record", "/persons/{id}/consents"} <= set(paths)
    expected_what = {
        "/persons/{id}": "identity",
        "/persons/{id}/record": "record",
        "/persons/{id}/consents": "consents",
    }
    caller = api_as(world.doctor)
    problems = {}
    for path in paths:
        since = last_id()
        response = caller.get("/api/v1" + path.replace("{id}", str(person.pk)))
        rows = new_rows(since)
        if response.status_code != 200:
            problems[path] = f"status {response.status_code}"
        elif [(r.person_id, r.user_id, r.channel) for r in rows] != [
            (person.pk, world.doctor.pk, "api")
        ]:
            problems[path] = [(r.person_id, r.what, r.channel) for r in rows]
        elif path in expected_what and rows[0].what != expected_what[path]:
            problems[path] = f"what {rows[0].what!r}"
    assert problems == {}


def test_api_purpose_is_recorded(world, targets, api_as):
    since = last_id()
    api_as(world.doctor).get(
        f"/api/v1/persons/{targets['person_id']}/record", {"purpose": "Follow-up visit"}
    )
    assert [r.purpose for r in new_rows(since)] == ["Follow-up visit"]


def test_api_duplicate_answer_logs_the_candidates(world, make_person, api_as):
    candidate = make_person(given_name="Abrehet", family_name="Woldu")
    since = last_id()
    response = api_as(world.reception).post(
        "/api/v1/persons",
        {
            "project": world.calais.pk,
            "given_name": "Abrehet",
            "family_name": "Woldu",
            "check_duplicates": True,
        },
    )
    assert response.status_code == 409
    rows = new_rows(since)
    assert [(r.person_id, r.what, r.channel) for r in rows] == [
        (candidate.pk, "identity-summary", "api")
    ]


def test_home_page_logs_the_persons_it_names(world, make_person, login):
    """Recent work and follow-ups name persons: a read of each, like any list."""
    registered = make_person(actor=world.reception, given_name="Senait")
    make_person(actor=world.coordinator, given_name="Other")  # not the receptionist's work
    login(world.reception).get(reverse("home"))
    rows = AccessLog.objects.filter(user=world.reception)
    assert list(rows.values_list("person_id", "what", "channel")) == [
        (registered.pk, "identity-summary", "web")
    ]
