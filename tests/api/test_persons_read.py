from datetime import date

import pytest

from parcours.audit.models import AccessLog
from parcours.people import services

NO_PERSONS = ["admin", "meal", "advocacy", "safeguarding", "nobody"]


def test_calais_member_lists_calais_persons_with_access_log(world, make_person, api_as):
    amanuel = make_person(nationality="ER", birth_date=date(2000, 1, 1), sex="male")
    make_person(project=world.dunkerque, actor=world.referent, given_name="Dunkerquois")
    response = api_as(world.social_worker).get("/api/v1/persons")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["page_size"]) == (1, 1, 25)
    assert body["results"] == [
        {
            "id": amanuel.pk,
            "codes": ["CAL-00001"],
            "given_name": "Amanuel",
            "family_name": "Tesfay",
            "name_original": "",
            "sex": "male",
            "age": amanuel.age(),
            "nationality": "ER",
            "is_active": True,
        }
    ]
    log = AccessLog.objects.get()
    assert (log.user, log.person, log.what, log.channel) == (
        world.social_worker,
        amanuel,
        "identity-summary",
        "api",
    )


@pytest.mark.parametrize("persona", NO_PERSONS)
def test_roles_without_identity_see_no_person(world, make_person, api_as, persona):
    person = make_person()
    api = api_as(world.users[persona])
    listed = api.get("/api/v1/persons")
    assert listed.status_code == 200
    assert (listed.json()["count"], listed.json()["results"]) == (0, [])
    assert api.get(f"/api/v1/persons/{person.pk}").status_code == 404
    assert not AccessLog.objects.exists()


def test_other_project_doctor_gets_404_like_a_missing_person(world, make_person, api_as):
    person = make_person()
    api = api_as(world.dunkerque_doctor)
    hidden = api.get(f"/api/v1/persons/{person.pk}")
    missing = api.get(f"/api/v1/persons/{person.pk + 1000}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert api.get("/api/v1/persons").json()["count"] == 0
    assert not AccessLog.objects.exists()


def test_search_finds_any_spelling_and_filters_like_the_list_page(world, make_person, api_as):
    mohamed = make_person(given_name="محمد", family_name="", sex="male")
    make_person(given_name="Selam", sex="female")
    left = make_person(given_name="Muhammad")
    services.person_exit(
        actor=world.coordinator, person=left, exit_date=date.today(), reason="crossed"
    )
    api = api_as(world.reception)
    found = api.post("/api/v1/persons/search", {"q": "Mohammed"}).json()
    assert [r["id"] for r in found["results"]] == [mohamed.pk]
    everyone = api.post("/api/v1/persons/search", {"q": "Mohammed", "active": "all"}).json()
    assert {r["id"] for r in everyone["results"]} == {mohamed.pk, left.pk}
    women = api.get("/api/v1/persons", {"sex": "female"}).json()
    assert [r["given_name"] for r in women["results"]] == ["Selam"]
    by_code = api.post("/api/v1/persons/search", {"q": "cal2", "active": "all"}).json()
    assert [r["given_name"] for r in by_code["results"]] == ["Selam"]


def test_pages_are_capped_and_past_the_end_is_empty(world, make_person, api_as):
    for name in ("Abel", "Bereket", "Dawit"):
        make_person(given_name=name, family_name="")
    api = api_as(world.reception)
    second = api.get("/api/v1/persons", {"page": 2, "page_size": 2}).json()
    assert (second["count"], [r["given_name"] for r in second["results"]]) == (3, ["Dawit"])
    assert api.get("/api/v1/persons", {"page_size": 1000}).json()["page_size"] == 100
    far = api.get("/api/v1/persons", {"page": 10**40})
    assert far.status_code == 200
    assert (far.json()["count"], far.json()["results"]) == (3, [])
    assert AccessLog.objects.count() == 1 + 3, (
        "one row per person returned, none for the empty page"
    )
    searched = api.post("/api/v1/persons/search", {"q": "Dawit", "page": 10**40})
    assert (searched.status_code, searched.json()["results"]) == (200, [])


def test_detail_is_access_logged_with_purpose(world, make_person, api_as):
    person = make_person(phone="06 12 34 56 78")
    response = api_as(world.doctor).get(f"/api/v1/persons/{person.pk}", {"purpose": "consultation"})
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["version"], body["codes"]) == (person.pk, 1, ["CAL-00001"])
    assert body["contact"] == {"phone": "06 12 34 56 78", "notes": ""}
    log = AccessLog.objects.get()
    assert (log.user, log.person, log.what, log.channel, log.purpose) == (
        world.doctor,
        person,
        "identity",
        "api",
        "consultation",
    )


def test_reception_sees_contact_but_outreach_gets_no_contact_key(world, make_person, api_as):
    person = make_person(phone="06 12 34 56 78", contact_notes="Jungle, tente bleue")
    reception = api_as(world.reception).get(f"/api/v1/persons/{person.pk}").json()
    assert reception["contact"]["phone"] == "06 12 34 56 78"
    outreach = api_as(world.outreach).get(f"/api/v1/persons/{person.pk}")
    assert outreach.status_code == 200
    assert "contact" not in outreach.json()
    assert "06 12" not in outreach.content.decode()
    assert outreach.json()["birth_date"] is None, "other empty fields stay, as null"


def test_non_integer_and_huge_ids_are_client_errors(world, api_as):
    api = api_as(world.reception)
    for bad in ("abc", "1.5", "-1", "0", str(10**30)):
        response = api.get(f"/api/v1/persons/{bad}")
        assert response.status_code in (404, 422), bad
        assert "detail" in response.json()


def test_a_name_is_searched_by_post_never_in_the_address(world, make_person, api_as, settings):
    settings.LANGUAGE_CODE = "en"
    selam = make_person(given_name="Selam", sex="female")
    make_person(given_name="Dawit")
    api = api_as(world.reception)
    refused = api.get("/api/v1/persons", {"q": "Selam"})
    assert refused.status_code == 400
    assert "POST /api/v1/persons/search" in refused.json()["detail"]
    assert AccessLog.objects.count() == 0, "a refused search reads no one"
    # The same filters as GET /persons, in the body, and the same answer's shape.
    found = api.post("/api/v1/persons/search", {"q": "Selam", "sex": "female", "page_size": 5})
    assert found.status_code == 200
    body = found.json()
    assert [r["id"] for r in body["results"]] == [selam.pk]
    assert set(body) == {"count", "page", "page_size", "truncated", "results", "next_after"}
    assert found.request["PATH_INFO"] == "/api/v1/persons/search"
    assert "Selam" not in found.request.get("QUERY_STRING", "")
    assert AccessLog.objects.count() == 1
    # Without a name: the alphabetical list paged by key, as GET /persons.
    listed = api.post("/api/v1/persons/search", {"page_size": 1}).json()
    assert listed["next_after"] is not None and listed["count"] == 2
    # The flag rule of the list holds on the body too.
    flagged = api.post("/api/v1/persons/search", {"q": "Selam", "flag": "sv_survivor"})
    assert flagged.status_code == 422
    assert flagged.json()["detail"][0]["loc"] == ["body", "flag"]
    assert api_as(None).post("/api/v1/persons/search", {"q": "Selam"}).status_code == 401
