"""Bad input is a client error with field errors, never a 500."""

from datetime import date, timedelta

import pytest

from parcours.people.models import Person

VALID = {"given_name": "Selam"}


@pytest.fixture
def reception(world, api_as):
    return api_as(world.reception)


def _post(api, world, **fields):
    return api.post("/api/v1/persons", {"project": world.calais.pk, **VALID, **fields})


def _locs(response) -> set[tuple]:
    """(source, field) of each error; a list item's index may follow, e.g. ("body", "flags", 1)."""
    return {tuple(error["loc"][:2]) for error in response.json()["detail"]}


future = (date.today() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"birth_date": future}, "birth_date"),
        ({"birth_date": "2026-02-30"}, "birth_date"),
        ({"birth_date": "1890-01-01"}, "birth_date"),
        ({"birth_date": "01/02/2000"}, "birth_date"),
        ({"assessed_on": future}, "assessed_on"),
        ({"assessed_age": 400}, "assessed_age"),
        ({"assessed_age": 10**30}, "assessed_age"),
        ({"assessed_age": "seventeen"}, "assessed_age"),
        ({"nationality": "XX"}, "nationality"),
        ({"nationality": "ERI"}, "nationality"),
        ({"languages": ["ti", "klingon"]}, "languages"),
        ({"languages": "ti"}, "languages"),
        ({"given_name": ""}, "given_name"),
        ({"given_name": "   "}, "given_name"),
        ({"given_name": None}, "given_name"),
        ({"given_name": "A" * 101}, "given_name"),
        ({"family_name": "B" * 101}, "family_name"),
        ({"name_original": "م" * 201}, "name_original"),
        ({"aliases": ["x" * 201]}, "aliases"),
        ({"phone": "0" * 41}, "phone"),
        ({"given_name": "Se\x00lam"}, "given_name"),
        ({"sex": "M"}, "sex"),
        ({"sex": None}, "sex"),
        ({"flags": ["pregnant", "tired"]}, "flags"),
        ({"interpreter_needed": None}, "interpreter_needed"),
        ({"minority_appeal": "maybe"}, "minority_appeal"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
        ({"project": "calais"}, "project"),
        ({"project": 10**30}, "project"),
    ],
)
def test_invalid_person_fields_are_422_with_the_field(world, reception, fields, field):
    response = _post(reception, world, **fields)
    assert response.status_code == 422, response.content
    assert ("body", field) in _locs(response)
    for error in response.json()["detail"]:
        assert error["msg"] and error["type"]
    assert not Person.objects.exists()


def test_missing_given_name_is_a_field_error(world, reception):
    response = reception.post("/api/v1/persons", {"project": world.calais.pk})
    assert response.status_code == 422
    assert _locs(response) == {("body", "given_name")}


def test_several_bad_fields_are_all_reported(world, reception):
    response = _post(reception, world, given_name="", nationality="XX", languages=["zz"])
    assert _locs(response) == {
        ("body", "given_name"),
        ("body", "nationality"),
        ("body", "languages"),
    }


@pytest.mark.parametrize(
    "body", ["{not json", "", "[]", '"Selam"', "null", b"\xff\xfe", "[" * 5000 + "]" * 5000]
)
def test_unreadable_or_non_object_bodies_are_client_errors(world, reception, body):
    response = reception.post("/api/v1/persons", body)
    assert response.status_code in (400, 422)
    assert "detail" in response.json()


def test_oversized_body_is_a_client_error(world, reception):
    response = _post(reception, world, aliases=["x" * 100] * 30_000)
    assert response.status_code in (400, 413)
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": 0}, "page"),
        ({"page": "two"}, "page"),
        ({"page_size": 0}, "page_size"),
        ({"project": "x"}, "project"),
        ({"project": 10**30}, "project"),
        ({"active": "maybe"}, "active"),
        ({"sex": "x"}, "sex"),
        ({"age_group": "teen"}, "age_group"),
        ({"nationality": "XX"}, "nationality"),
        ({"flag": "x"}, "flag"),
    ],
)
def test_invalid_list_parameters_are_422_with_the_parameter(world, reception, params, field):
    response = reception.get("/api/v1/persons", params)
    assert response.status_code == 422
    assert ("query", field) in _locs(response)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"q": "a" * 201}, "q"),
        ({"q": "a\x00b"}, "q"),
        ({"q": 3}, "q"),
        ({"page": 0}, "page"),
        ({"nationality": "XX"}, "nationality"),
        ({"flag": "x"}, "flag"),
        ({"name": "Selam"}, "name"),
    ],
)
def test_invalid_search_bodies_are_422_with_the_field(world, reception, body, field):
    response = reception.post("/api/v1/persons/search", body)
    assert response.status_code == 422
    assert ("body", field) in _locs(response)


def test_long_many_word_search_is_answered(world, make_person, reception):
    make_person()
    response = reception.post("/api/v1/persons/search", {"q": "ab " * 66})
    assert response.status_code == 200


def test_patch_with_bad_values_is_422_and_changes_nothing(world, make_person, reception):
    person = make_person()
    url = f"/api/v1/persons/{person.pk}"
    for body in (
        {"version": 1, "birth_date": "2026-02-30"},
        {"version": 1, "birth_date": future},
        {"version": 1, "nationality": "XX"},
        {"version": "one"},
        {"version": 10**30},
        {"version": 1, "id": 5},
    ):
        response = reception.patch(url, body)
        assert response.status_code == 422, body
    assert reception.patch(url, "{oops").status_code == 400
    assert reception.patch(f"/api/v1/persons/{10**30}", {"version": 1}).status_code == 422
    assert reception.patch("/api/v1/persons/abc", {"version": 1}).status_code == 422
    person.refresh_from_db()
    assert person.version == 1


def test_unknown_route_and_method_are_not_500(world, reception):
    assert reception.get("/api/v1/nothing-here").status_code == 404
    response = reception.client.delete("/api/v1/persons", **reception.headers)
    assert response.status_code == 405
