"""Every API route, for every persona, answers as API_ROUTES and the policy say."""

import pytest

from parcours.access.policy import allowed
from parcours.access.terms import Action, Category
from tests.api.routes import (
    API_REQUESTS,
    API_ROUTES,
    CONDITIONAL_API_RULES,
    CONDITIONAL_RULES,
    DOCUMENTATION_ROUTES,
    NOT_FOUND_WHEN_REFUSED,
    PATH_IDS,
    PATH_URLS,
    REFUSED_BY_ROLE,
    REFUSED_OUTSIDE_PROJECT,
    REQUEST_BODIES,
)
from tests.personas import CALAIS_ROLES

PERSONAS = [*CALAIS_ROLES, "dunkerque_doctor", "nobody"]
PERSON_LISTS = {("GET", "/api/v1/persons"), ("POST", "/api/v1/persons/search")}


def _request(api, method, path, world, person):
    body = REQUEST_BODIES.get((method, path))
    target = PATH_IDS.get((method, path))
    if (method, path) in API_REQUESTS:
        return API_REQUESTS[(method, path)](api, world, person)
    if (method, path) in PATH_URLS:
        return api.get(PATH_URLS[(method, path)](world, person))
    path = path.replace("{id}", str(target(world, person) if target else person.pk))
    if method == "GET":
        return api.get(path)
    if body is not None:
        send = api.post if method == "POST" else api.patch
        return send(path, body(world, person))
    if method == "POST" and path.endswith("/token"):
        return api.post(path, {"username": "reception", "password": "correct horse battery staple"})
    if method == "POST":
        return api.post(path, {"project": world.calais.pk, "given_name": "Selam"})
    return api.patch(path, {"version": person.version, "family_name": "Tesfaye"})


def _expected_ok(rule: str, persona: str) -> bool:
    if rule in ("public", "member"):
        return True
    if rule in CONDITIONAL_RULES:
        return persona in CONDITIONAL_RULES[rule]
    if rule in CONDITIONAL_API_RULES:
        return persona in CONDITIONAL_API_RULES[rule]
    if rule in CONDITIONAL_API_RULES:
        return persona in CONDITIONAL_API_RULES[rule]
    if rule in CONDITIONAL_RULES:
        return persona in CONDITIONAL_RULES[rule]
    category, action = rule.split(".")
    role = CALAIS_ROLES.get(persona)  # every target belongs to Calais
    return role is not None and allowed(role, Category(category), Action(action))


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_route_follows_its_rule(world, make_person, api_as, persona):
    person = make_person()
    api = api_as(world.users[persona])
    for (method, path), rule in API_ROUTES.items():
        if (method, path) in DOCUMENTATION_ROUTES:
            continue
        response = _request(api, method, path, world, person)
        if (method, path) in PERSON_LISTS:
            # A list: always answered, holding only what the policy lets through.
            assert response.status_code == 200
            visible = response.json()["count"] == 1
            assert visible == _expected_ok(rule, persona), (persona, method, path)
        elif _expected_ok(rule, persona):
            assert response.status_code in (200, 201), (persona, method, path, response.json())
        elif (method, path) in REFUSED_BY_ROLE:
            expected = REFUSED_BY_ROLE[(method, path)](CALAIS_ROLES.get(persona))
            assert response.status_code == expected, (persona, method, path)
        elif (method, path) in NOT_FOUND_WHEN_REFUSED:
            assert response.status_code == 404, (persona, method, path)
        elif "{id}" in path:
            # About the person: 403 if the caller sees them, else 404 like a missing one.
            sees = method != "GET" and _expected_ok("identity.view", persona)
            assert response.status_code == (403 if sees else 404), (persona, method, path)
        elif method == "POST" and persona in CALAIS_ROLES:
            assert response.status_code == 403, (persona, method, path)  # a project of theirs
        else:
            expected = REFUSED_OUTSIDE_PROJECT.get((method, path), 404)
            assert response.status_code == expected, (persona, method, path)


def test_every_non_public_route_needs_a_token(world, make_person, api_as):
    person = make_person()
    anonymous = api_as(None)
    for (method, path), rule in API_ROUTES.items():
        response = _request(anonymous, method, path, world, person)
        if rule == "public":
            assert response.status_code in (200, 201), (method, path)
        else:
            assert response.status_code == 401, (method, path)
            assert response.json()["detail"]
