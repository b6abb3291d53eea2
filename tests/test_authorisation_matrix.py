"""Every URL of the application has a declared access rule, and the rule holds.

Add a route without an entry in ROUTES (or in the API / configuration route
tables) and this test fails: nothing gets served without someone deciding
who may reach it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from parcours.access import services as access_services
from parcours.access.policy import allowed
from parcours.access.terms import Action, Category
from parcours.accounts.models import Membership
from parcours.people import merging as people_merging
from parcours.people import services as people_services
from tests.personas import CALAIS_ROLES, make_user

try:
    from tests.api.routes import API_ROUTES
except ImportError:  # pragma: no cover - the API table is mandatory, see test below
    API_ROUTES = None
try:
    from tests.org.routes import CONFIGURATION_ROUTES
except ImportError:  # pragma: no cover
    CONFIGURATION_ROUTES = None
from tests.access.routes import ACCESS_ROUTES
from tests.accounts.routes import (
    ACCOUNTS_ROUTE_TARGETS,
    ACCOUNTS_ROUTES,
    ACCOUNTS_RULES,
    accounts_targets,
)
from tests.cases.routes import CASES_ROUTES, CASES_RULES, cases_targets
from tests.customfields.routes import (
    CUSTOMFIELDS_ROUTES,
    CUSTOMFIELDS_RULES,
    customfields_targets,
)
from tests.feedback.routes import FEEDBACK_CONDITIONAL_RULES, FEEDBACK_ROUTES, feedback_targets
from tests.imports.routes import IMPORT_ROUTES, IMPORT_RULES, import_targets
from tests.meal.routes import MEAL_CONDITIONAL_RULES, MEAL_ROUTES, meal_targets
from tests.network.routes import NETWORK_CONDITIONAL_RULES, NETWORK_ROUTES, network_targets
from tests.ops.routes import OPS_ROUTES, OPS_RULES
from tests.quality.routes import QUALITY_ROUTES, QUALITY_RULES
from tests.reporting.routes import REPORTING_ROUTES, REPORTING_RULES
from tests.stock.routes import STOCK_ROUTE_TARGETS, STOCK_ROUTES, stock_targets

# url name -> rule. "public": anyone; "login": any signed-in user;
# "<category>.<action>": the policy decides; "configuration": admin role.
ROUTES = {
    "home": "login",
    "health": "public",
    "healthz": "public",
    "accounts:login": "public",
    "accounts:logout": "public",
    "accounts:language": "public",
    "accounts:preferences": "login",
    "accounts:password_change": "login",
    "people:list": "identity.view",
    "people:export": "identity.export",
    "people:create": "identity.create",
    "people:duplicates": "identity.create",
    "dossier:person": "identity.view",
    "people:edit": "identity.edit",
    "people:exit": "identity.edit",
    "people:reactivate": "identity.edit",
    "people:merge": "identity.merge",
    "people:merge_undo": "identity.merge",
    "people:duplicate_queue": "identity.merge",
    "people:merge_compare": "identity.merge",
    "people:not_same_person": "identity.merge",
    "people:history": "identity.view",
    "people:access_log": "identity.audit",
    "people:access_log_all": "identity.audit",
    "people:access_log_export": "identity.audit",
    "people:group_create": "identity.edit",
    "people:group_add_member": "identity.edit",
    # care/: the form of a discipline needs "create" on its category
    # (the matrix opens the medical one); an encounter's own pages belong to
    # its author and the referents.
    "care:new": "medical.create",
    "care:icd10": "medical.create",
    "care:edit": "author_or_referent",
    "care:follow_up_done": "author_or_referent",
    "care:recorded": "activity.view",
    # agenda/: names and times for whoever sees identities in the project
    # (reception included); booking and changing the time or the reason need
    # the discipline's category (the target is a medical appointment);
    # arrivals, absences and cancellations need identity edit.
    "agenda:index": "identity.view",
    "agenda:site": "identity.view",
    "agenda:clinician": "identity.view",
    "agenda:ics": "login",
    "agenda:new": "medical.create",
    "agenda:edit": "medical.edit",
    "agenda:status": "identity.edit",
    # The clinical summary: who sees the medical category in full; the item
    # form (adding by default) and ending an item need medical create / edit.
    "care:summary": "medical.view",
    "care:summary_item": "medical.create",
    "care:summary_end": "medical.edit",
    # daily/: the report of a project's day for who may count its activities
    # (view or aggregate; each figure then by category), its notes written by
    # who records activities there and its coordinators, validated by the
    # coordinators; the day's lists exported under the identity export right.
    "daily:index": "daily_report_anywhere",
    "daily:list": "daily_report",
    "daily:report": "daily_report",
    "daily:save": "daily_report_write",
    "daily:validate": "daily_report_validate",
    "daily:agenda_export": "identity.export",
    "daily:follow_ups_export": "identity.export",
    **ACCESS_ROUTES,
    **ACCOUNTS_ROUTES,
    **QUALITY_ROUTES,
    **REPORTING_ROUTES,
    **MEAL_ROUTES,
    **STOCK_ROUTES,
    **CUSTOMFIELDS_ROUTES,
    **FEEDBACK_ROUTES,
    **IMPORT_ROUTES,
    **NETWORK_ROUTES,
    **CASES_ROUTES,
    **CASES_ROUTES,
    **NETWORK_ROUTES,
    **MEAL_ROUTES,
    **OPS_ROUTES,
}

# Rules that are not one policy cell: who passes them among the personas.
CONDITIONAL_RULES = {
    "author_or_referent": {"doctor", "referent"},
    "care_team": {"coordinator", "referent"},
    "break_glass": {
        "doctor",
        "psychologist",
        "social_worker",
        "lawyer",
        "referent",
        "dunkerque_doctor",
    },
    "break_glass_review": {"coordinator", "referent"},
    "daily_report": {
        "coordinator",
        "doctor",
        "psychologist",
        "social_worker",
        "lawyer",
        "outreach",
        "reception",
        "meal",
        "referent",
    },
    # The index lists the user's own projects: the Dunkerque doctor's too.
    "daily_report_anywhere": {
        "coordinator",
        "doctor",
        "psychologist",
        "social_worker",
        "lawyer",
        "outreach",
        "reception",
        "meal",
        "referent",
        "dunkerque_doctor",
    },
    "daily_report_write": {"coordinator", "social_worker", "outreach", "reception"},
    "daily_report_validate": {"coordinator"},
    **QUALITY_RULES,
    **ACCOUNTS_RULES,
    **REPORTING_RULES,
    **CUSTOMFIELDS_RULES,
    **MEAL_CONDITIONAL_RULES,
    **FEEDBACK_CONDITIONAL_RULES,
    **IMPORT_RULES,
    **NETWORK_CONDITIONAL_RULES,
    **CASES_RULES,
    **CASES_RULES,
    **NETWORK_CONDITIONAL_RULES,
    **MEAL_CONDITIONAL_RULES,
    **OPS_RULES,
}
# Which target object a route's <encounter_id> means.
ROUTE_TARGETS = {
    "care:recorded": {"encounter_id": "tally_id"},
    # The pair pages: the same person twice (refused with a message, after
    # the access check).
    "people:merge_compare": {"keep_id": "person_id", "duplicate_id": "person_id"},
    "people:not_same_person": {"keep_id": "person_id", "duplicate_id": "person_id"},
    **STOCK_ROUTE_TARGETS,
    **ACCOUNTS_ROUTE_TARGETS,
}


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else None, entry


def all_route_names() -> list[str]:
    return [name for name, _pattern in _walk(get_resolver().url_patterns)]


def test_every_route_has_a_declared_rule():
    assert API_ROUTES is not None, "tests/api/routes.py must declare API_ROUTES"
    assert CONFIGURATION_ROUTES is not None, "tests/org/routes.py must declare CONFIGURATION_ROUTES"
    declared = set(ROUTES) | set(CONFIGURATION_ROUTES)
    missing = [
        name
        for name in all_route_names()
        if name is None or (not name.startswith("api:") and name not in declared)
    ]
    assert missing == [], f"routes without an access rule: {missing}"


def test_every_api_path_has_a_declared_rule():
    from parcours.api.api import api

    schema = api.get_openapi_schema()
    declared_paths = {path for _method, path in API_ROUTES}
    undeclared = [path for path in schema["paths"] if path not in declared_paths]
    assert undeclared == [], f"API paths without an access rule: {undeclared}"


@pytest.fixture
def targets(world, make_person):
    from datetime import timedelta

    from django.utils import timezone

    from parcours.care import services as care_services

    person = make_person(given_name="Mohamed")
    duplicate = make_person(given_name="Muhammad")
    record = people_merging.person_merge(actor=world.coordinator, keep=person, duplicate=duplicate)
    people_merging.person_unmerge(actor=world.coordinator, record=record)
    group = people_services.group_create(
        actor=world.coordinator,
        project=world.calais,
        name="Famille",
        kind="family",
        members=[(person, "head")],
    )
    an_hour_ago = {"occurred_at": timezone.now() - timedelta(hours=1)}
    consultation = care_services.encounter_record(
        actor=world.doctor,
        discipline="medical",
        site=world.calais_day_centre,
        person=person,
        data={**an_hour_ago, "follow_up_on": timezone.localdate() + timedelta(days=3)},
    )
    tally = care_services.encounter_record(
        actor=world.outreach,
        discipline="outreach",
        site=world.calais_day_centre,
        person=None,
        data=an_hour_ago,
        details={"tallies": [{"sex": "male", "age_group": "18-24", "count": 4}]},
    )
    # A clinician from elsewhere (not one of the personas) opened the record.
    outsider = make_user("outsider_doctor")
    Membership.objects.create(user=outsider, project=world.paris, role="medical")
    opening = access_services.break_glass_open(
        actor=outsider, person=person, reason="Seen unconscious at the Paris day centre"
    )
    from parcours.agenda import services as agenda_services

    appointment = agenda_services.appointment_create(
        actor=world.doctor,
        person=person,
        discipline="medical",
        site=world.calais_day_centre,
        clinician=world.doctor,
        data={"starts_at": timezone.now() + timedelta(days=1), "reason": "Dressing"},
    )
    core = {
        "appointment_id": appointment.pk,
        "site_id": world.calais_day_centre.pk,
        "project_id": world.calais.pk,
        "clinician_id": world.doctor.pk,
        "opening_id": opening.pk,
        "person_id": person.pk,
        "record_id": record.pk,
        "group_id": group.pk,
        "encounter_id": consultation.pk,
        "tally_id": tally.pk,
        "discipline": "medical",
    }
    return _merged(
        core,
        meal_targets(world),
        stock_targets(world),
        feedback_targets(world),
        import_targets(world),
        network_targets(world, person),
        cases_targets(world, person),
        customfields_targets(world),
        accounts_targets(world),
    )


def _merged(*parts: dict) -> dict:
    """One dict of targets. Two modules giving one key different values is a test
    bug that SQLite hides: it reuses rolled-back ids, so the two ids often agree
    there and not on PostgreSQL."""
    merged: dict = {}
    for part in parts:
        clash = {key for key in set(merged) & set(part) if merged[key] != part[key]}
        assert not clash, f"two modules' targets give these keys different values: {sorted(clash)}"
        merged.update(part)
    return merged


def _url(name: str, targets: dict) -> tuple[str, bool]:
    """The URL of a route with its targets, and whether it is about a Calais person."""
    pattern = dict(_walk(get_resolver().url_patterns))[name]
    aliases = ROUTE_TARGETS.get(name, {})
    kwargs = {key: targets[aliases.get(key, key)] for key in pattern.pattern.converters}
    about_a_person = bool(set(kwargs) - {"discipline"})
    return reverse(name, kwargs=kwargs), about_a_person


# Roles held outside Calais: they open project-wide pages (lists, forms),
# never a Calais person.
OTHER_PROJECT_ROLES = {"dunkerque_doctor": "medical"}
PERSONA_ROLES = {**CALAIS_ROLES, "referent": "medical_referent"}


def _expected(rule: str, persona: str, about_a_calais_person: bool) -> bool:
    if rule in ("public", "login"):
        return True
    if rule in CONDITIONAL_RULES:
        return persona in CONDITIONAL_RULES[rule]
    category, action = rule.split(".")
    role = PERSONA_ROLES.get(persona)
    if role is None and not about_a_calais_person:
        role = OTHER_PROJECT_ROLES.get(persona)
    return role is not None and allowed(role, Category(category), Action(action))


@pytest.mark.parametrize("persona", [*CALAIS_ROLES, "referent", "dunkerque_doctor", "nobody"])
def test_every_route_follows_its_rule_for_each_persona(world, targets, client, persona):
    client.force_login(world.users[persona])
    for name, rule in ROUTES.items():
        if rule in ("public", "login"):
            continue
        url, about_a_person = _url(name, targets)
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        should = _expected(rule, persona, about_a_calais_person=about_a_person)
        if should:
            assert response.status_code in (200, 302), (persona, name, response.status_code)
        else:
            assert response.status_code == 404, (persona, name, response.status_code)


def test_anonymous_is_sent_to_login_on_every_signed_in_route(world, targets, client):
    for name, rule in ROUTES.items():
        if rule == "public":
            continue
        url, _about = _url(name, targets)
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_dunkerque_doctor_never_reaches_a_calais_person(world, targets, client):
    client.force_login(world.dunkerque_doctor)
    assert client.get(f"/people/{targets['person_id']}/").status_code == 404
