"""Side doors: what a filter, a count, a consent list, a recording or a
malformed id could tell beyond what the policy lets through."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from parcours.access import services as access_services
from parcours.audit.models import AuditEvent
from parcours.care import services as care_services
from parcours.care.models import Encounter
from parcours.people import services as people_services
from parcours.people.models import Enrolment
from tests.test_authorisation_matrix import _walk

HUGE = "99999999999999999999"


def an_hour_ago():
    return timezone.now() - timedelta(hours=1)


# ------------------------------------------------------- project filter


@pytest.fixture
def followed_in_both(world, make_person):
    """A Calais person the referent also enrolled in Dunkerque, and a person
    followed only in Dunkerque."""
    both = make_person(given_name="Tesfalem", family_name="Ghebre")
    people_services.person_enrol(actor=world.referent, person=both, project=world.dunkerque)
    only_dunkerque = make_person(
        given_name="Filmon",
        family_name="Haile",
        project=world.dunkerque,
        actor=world.dunkerque_doctor,
    )
    return both, only_dunkerque


def test_api_project_filter_outside_the_users_projects_gives_no_one(
    world, followed_in_both, api_as
):
    both, _only = followed_in_both
    response = api_as(world.reception).get("/api/v1/persons", {"project": world.dunkerque.pk})
    assert response.status_code == 200
    assert response.json()["count"] == 0 and response.json()["results"] == []
    # Control: the referent, who works in Dunkerque, finds them there.
    body = api_as(world.referent).get("/api/v1/persons", {"project": world.dunkerque.pk}).json()
    assert body["count"] == 2
    # And the reception's own project gives the person, with the Calais code only.
    body = api_as(world.reception).get("/api/v1/persons", {"project": world.calais.pk}).json()
    assert [r["id"] for r in body["results"]] == [both.pk]
    assert all(code.startswith("CAL-") for code in body["results"][0]["codes"])


def test_page_project_filter_outside_the_users_projects_is_not_a_choice(
    world, followed_in_both, login
):
    both, only_dunkerque = followed_in_both
    client = login(world.reception)
    response = client.get(reverse("people:list"), {"project": world.dunkerque.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<option value="{world.dunkerque.pk}"' not in page
    assert only_dunkerque.given_name not in page
    # The refused filter is ignored as a whole: the page is the unfiltered
    # list, so it tells nothing of who is followed in Dunkerque.
    unfiltered = client.get(reverse("people:list")).content.decode()
    assert (both.given_name in page) == (both.given_name in unfiltered)


def test_people_list_shows_only_the_codes_of_the_users_projects(world, followed_in_both, login):
    both, _only = followed_in_both
    dunkerque_code = both.enrolments.get(project=world.dunkerque).code
    page = login(world.reception).get(reverse("people:list")).content.decode()
    assert both.given_name in page
    assert dunkerque_code not in page, (
        "the list tells Calais staff the person is followed in Dunkerque"
    )


def test_people_search_shows_only_the_codes_of_the_users_projects(world, followed_in_both, login):
    both, _only = followed_in_both
    dunkerque_code = both.enrolments.get(project=world.dunkerque).code
    page = login(world.reception).get(reverse("people:list"), {"q": "Tesfalem"}).content.decode()
    assert both.given_name in page
    assert dunkerque_code not in page


def test_duplicate_check_shows_only_the_codes_of_the_users_projects(world, followed_in_both, login):
    both, _only = followed_in_both
    dunkerque_code = both.enrolments.get(project=world.dunkerque).code
    response = login(world.reception).post(
        reverse("people:duplicates"), {"given_name": "Tesfalem", "family_name": "Ghebre"}
    )
    page = response.content.decode()
    assert both.given_name in page
    assert dunkerque_code not in page


def test_person_page_and_api_show_only_the_codes_of_the_users_projects(
    world, followed_in_both, login, api_as
):
    both, _only = followed_in_both
    dunkerque_code = both.enrolments.get(project=world.dunkerque).code
    page = login(world.reception).get(reverse("dossier:person", args=[both.pk]))
    assert dunkerque_code not in page.content.decode()
    body = api_as(world.reception).get(f"/api/v1/persons/{both.pk}").json()
    assert dunkerque_code not in body["codes"]
    assert [p["id"] for p in body["projects"]] == [world.calais.pk]


# ---------------------------------------------- hidden counts and consents


@pytest.fixture
def record_with_secrets(world, make_person):
    """A Calais person with a medical consultation, a sexual-violence incident,
    team sharing of mental health given and photos given."""
    person = make_person(given_name="Yordanos")
    care_services.encounter_record(
        actor=world.doctor,
        discipline="medical",
        site=world.calais_day_centre,
        person=person,
        data={"occurred_at": an_hour_ago(), "team_note": "Seen"},
    )
    care_services.encounter_record(
        actor=world.psychologist,
        discipline="sv_incident",
        site=world.calais_day_centre,
        person=person,
        data={"occurred_at": an_hour_ago()},
        details={"gbv_type": "rape"},
    )
    access_services.consent_record(
        actor=world.psychologist,
        person=person,
        kind="team_sharing",
        category="mental_health",
        status="given",
        method="oral_interpreter",
        language="ti",
    )
    access_services.consent_record(
        actor=world.reception, person=person, kind="photos", status="given", method="oral"
    )
    return person


NOT_CLINICIANS = ["reception", "outreach", "coordinator", "advocacy", "meal"]


@pytest.mark.parametrize("persona", NOT_CLINICIANS)
def test_non_clinicians_are_told_nothing_of_what_they_do_not_see(
    world, record_with_secrets, login, api_as, persona
):
    user = world.users[persona]
    response = api_as(user).get(f"/api/v1/persons/{record_with_secrets.pk}/record")
    page = login(user).get(reverse("dossier:person", args=[record_with_secrets.pk]))
    if persona in ("advocacy", "meal"):
        # Aggregates only: the person is not reachable at all.
        assert response.status_code == 404 and page.status_code == 404
        return
    assert response.status_code == 200
    body = response.json()
    assert [s["hidden_count"] for s in body["sections"]] == [0] * len(body["sections"])
    assert body["restricted_count"] == 0
    assert body["consents"] == []
    assert page.status_code == 200
    text = page.content.decode()
    assert "not shared with your role" not in text
    assert "restricted entr" not in text
    assert "Sharing with the multidisciplinary team" not in text


def test_a_clinician_of_the_team_is_told_what_stays_hidden(
    world, record_with_secrets, login, api_as
):
    body = (
        api_as(world.social_worker).get(f"/api/v1/persons/{record_with_secrets.pk}/record").json()
    )
    hidden = {s["category"]: s["hidden_count"] for s in body["sections"]}
    assert hidden == {"medical": 1}
    assert body["restricted_count"] == 1
    assert {(c["kind"], c["category"]) for c in body["consents"]} == {
        ("team_sharing", "mental_health"),
        ("photos", ""),
    }
    page = login(world.social_worker).get(reverse("dossier:person", args=[record_with_secrets.pk]))
    text = page.content.decode()
    assert "1 medical entry — not shared with your role" in text
    assert "1 restricted entry" in text
    assert "Sharing with the multidisciplinary team" in text


def test_consent_registry_hides_team_sharing_from_reception(
    world, record_with_secrets, api_as, login
):
    url = f"/api/v1/persons/{record_with_secrets.pk}/consents"
    body = api_as(world.reception).get(url).json()
    kinds = {c["kind"] for c in body["in_force"]} | {c["kind"] for c in body["history"]}
    assert kinds == {"photos"}
    body = api_as(world.social_worker).get(url).json()
    assert ("team_sharing", "mental_health") in {
        (c["kind"], c["category"]) for c in body["in_force"]
    }
    page = login(world.reception).get(reverse("dossier:consents", args=[record_with_secrets.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Photos" in text
    assert "Mental health" not in text


# ----------------------------------------------- no enrolment by side effect


def test_recording_at_another_projects_site_does_not_enrol(world, make_person):
    person = make_person()
    with pytest.raises(ValidationError) as refused:
        care_services.encounter_record(
            actor=world.referent,
            discipline="medical",
            site=world.dunkerque_camp,
            person=person,
            data={"occurred_at": an_hour_ago()},
        )
    assert "site" in refused.value.message_dict
    assert not Enrolment.objects.filter(person=person, project=world.dunkerque).exists()
    assert not Encounter.objects.filter(person=person).exists()


def test_api_recording_at_another_projects_site_writes_nothing(world, make_person, api_as):
    person = make_person()
    events = AuditEvent.objects.count()
    response = api_as(world.referent).post(
        f"/api/v1/persons/{person.pk}/encounters",
        {
            "discipline": "medical",
            "occurred_at": an_hour_ago().isoformat(),
            "site": world.dunkerque_camp.pk,
            "team_note": "Seen at the camp",
        },
    )
    assert response.status_code == 422
    assert ["body", "site"] in [e["loc"] for e in response.json()["detail"]]
    assert not Enrolment.objects.filter(person=person, project=world.dunkerque).exists()
    assert not Encounter.objects.filter(person=person).exists()
    assert AuditEvent.objects.count() == events


def test_explicit_enrolment_by_someone_of_the_project(world, make_person, login):
    person = make_person()
    response = login(world.referent).post(
        reverse("dossier:enrol", args=[person.pk]), {"project": world.dunkerque.pk}
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(person=person, project=world.dunkerque)
    assert enrolment.code.startswith("DUN-")
    assert AuditEvent.objects.filter(
        event="person.enrol", subject_type="people.person", subject_id=str(person.pk)
    ).exists()


@pytest.mark.parametrize("persona", ["reception", "doctor", "coordinator"])
def test_no_enrolment_in_a_project_the_user_does_not_work_in(world, make_person, login, persona):
    person = make_person()
    for project in (world.dunkerque, world.paris):
        login(world.users[persona]).post(
            reverse("dossier:enrol", args=[person.pk]), {"project": project.pk}
        )
    assert list(person.enrolments.values_list("project_id", flat=True)) == [world.calais.pk]
    assert not AuditEvent.objects.filter(event="person.enrol").exists()


def test_no_enrolment_of_a_person_the_user_does_not_see(world, make_person, login):
    person = make_person()
    response = login(world.dunkerque_doctor).post(
        reverse("dossier:enrol", args=[person.pk]), {"project": world.dunkerque.pk}
    )
    assert response.status_code == 404
    assert not Enrolment.objects.filter(person=person, project=world.dunkerque).exists()


# ------------------------------------------------- malformed or huge ids


def _int_routes():
    for name, pattern in _walk(get_resolver().url_patterns):
        if name and not name.startswith("api:") and isinstance(pattern, URLPattern):
            ints = [
                k
                for k, c in pattern.pattern.converters.items()
                if type(c).__name__ in ("IntConverter", "IdConverter")
            ]
            if ints:
                yield name, pattern, ints


@pytest.mark.parametrize("persona", ["doctor", "coordinator", "referent", "admin"])
def test_huge_ids_in_any_page_url_answer_404(world, targets, login, persona):
    client = login(world.users[persona])
    problems = {}
    walked = set()
    for name, pattern, ints in _int_routes():
        for huge in ints:
            # Every other id a real one (configuration pages: the first row).
            kwargs = {k: targets.get(k, 1) for k in pattern.pattern.converters}
            # <id:…> does not even reverse past 64 bits: put the huge number in by hand.
            url = reverse(name, kwargs={**kwargs, huge: 7654321}).replace("7654321", HUGE)
            walked.add(name)
            for method in ("get", "post"):
                try:
                    status = getattr(client, method)(url).status_code
                except Exception as error:  # noqa: BLE001 - a 500 in production
                    problems[(name, huge, method)] = repr(error)
                    continue
                if status not in (404, 405):
                    problems[(name, huge, method)] = status
    assert {"dossier:person", "people:history", "people:edit", "care:edit"} <= walked
    assert problems == {}


def test_named_pages_with_huge_ids_answer_404(world, login):
    client = login(world.doctor)
    for url in (
        f"/people/{HUGE}/",
        f"/people/{HUGE}/history/",
        f"/people/{HUGE}/edit/",
        f"/access/persons/{HUGE}/consents/",
        reverse("care:edit", kwargs={"encounter_id": 7654321}).replace("7654321", HUGE),
        f"{reverse('care:new', args=['medical'])}?person={HUGE}",
    ):
        assert client.get(url).status_code == 404, url
    coordinator = login(world.coordinator)
    assert coordinator.get(f"/people/{HUGE}/access-log/").status_code == 404


def test_break_glass_form_ignores_a_huge_prefilled_person(world, login):
    response = login(world.doctor).get(reverse("dossier:break_glass"), {"person": HUGE})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", f"/api/v1/persons/{HUGE}"),
        ("get", f"/api/v1/persons/{HUGE}/record"),
        ("get", f"/api/v1/persons/{HUGE}/consents"),
        ("patch", f"/api/v1/persons/{HUGE}"),
        ("post", f"/api/v1/persons/{HUGE}/encounters"),
        ("post", f"/api/v1/persons/{HUGE}/consents"),
    ],
)
def test_huge_ids_in_the_api_answer_422(world, api_as, method, path):
    caller = api_as(world.doctor)
    response = caller.get(path) if method == "get" else getattr(caller, method)(path, {})
    assert response.status_code == 422
    assert ["path", "id"] in [e["loc"] for e in response.json()["detail"]]
