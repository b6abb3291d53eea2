"""Every route of the JSON API and the rule that guards it.

Imported by tests/test_authorisation_matrix.py; tests/api/test_openapi.py
fails when a route of the API is missing here (or listed but gone).

Rules: "public" (no token), "member" (any valid token: the caller's own
projects only), "<category>.<action>" (the access policy decides, per person
or per project).
"""

from datetime import timedelta

from django.utils import timezone

API_ROUTES = {
    ("GET", "/api/v1/openapi.json"): "public",
    ("GET", "/api/v1/docs"): "public",
    ("POST", "/api/v1/auth/token"): "public",
    ("GET", "/api/v1/projects"): "member",
    ("GET", "/api/v1/sites"): "member",
    ("GET", "/api/v1/persons"): "identity.view",
    ("POST", "/api/v1/persons"): "identity.create",
    ("GET", "/api/v1/persons/{id}"): "identity.view",
    ("PATCH", "/api/v1/persons/{id}"): "identity.edit",
    ("GET", "/api/v1/persons/{id}/record"): "identity.view",
    # The example body below records a medical encounter; the rule of any
    # other discipline is "<its category>.create".
    ("POST", "/api/v1/persons/{id}/encounters"): "medical.create",
    ("POST", "/api/v1/encounters"): "activity.create",
    ("GET", "/api/v1/persons/{id}/consents"): "identity.view",
    # The example body records a registration consent; team sharing of a
    # category is "<category>.consent".
    ("POST", "/api/v1/persons/{id}/consents"): "identity.consent",
    # Appointments: a list of what the caller's projects hold (reason only for
    # the discipline's readers); booking a medical one; changing its reason
    # (the time, site, clinician and reason: "<category>.edit"; the status
    # alone: "identity.edit").
    ("GET", "/api/v1/appointments"): "member",
    ("POST", "/api/v1/appointments"): "medical.create",
    ("PATCH", "/api/v1/appointments/{id}"): "medical.edit",
    # The clinical summary: read by who sees the medical category in full;
    # the example bodies below add an allergy, edit one, set the pregnancy.
    ("GET", "/api/v1/persons/{id}/clinical-summary"): "medical.view",
    ("POST", "/api/v1/persons/{id}/clinical-summary/items"): "medical.create",
    ("PATCH", "/api/v1/persons/{id}/clinical-summary/items"): "medical.edit",
    ("PATCH", "/api/v1/persons/{id}/clinical-summary/pregnancy"): "medical.edit",
    # network: the directory for every caller; a person's referrals for who
    # sees the person (each referral as its rules say); referring from the
    # medical discipline (the example body; "<category>.create" for the
    # others); the caller's own referrals; following the doctor's referral
    # (its owner, or who edits the medical category).
    ("GET", "/api/v1/services"): "member",
    ("GET", "/api/v1/persons/{id}/referrals"): "identity.view",
    ("POST", "/api/v1/persons/{id}/referrals"): "medical.create",
    ("GET", "/api/v1/referrals"): "member",
    ("PATCH", "/api/v1/referrals/{id}"): "medical.edit",
    # MEAL: the list holds the indicators whose figures the caller reads; an
    # indicator's values and a project's exports for who reads its figures
    # (the target is Calais' MED-CONS: exact or with small cells suppressed).
    ("GET", "/api/v1/meal/indicators"): "member",
    ("GET", "/api/v1/meal/indicators/{id}/values"): "meal_figures",
    ("GET", "/api/v1/meal/exports/{format}"): "meal_figures",
}

# Rules that are not one policy cell: the Calais personas who pass them.
CONDITIONAL_RULES = {"meal_figures": {"coordinator", "doctor", "meal", "advocacy"}}

# Served by ninja itself, not part of the OpenAPI "paths".
DOCUMENTATION_ROUTES = {("GET", "/api/v1/openapi.json"), ("GET", "/api/v1/docs")}


# What tests/api/test_route_access.py sends to the routes that need a body of
# their own (the others get its person-creation or person-patch body):
# (method, path) -> body(world, person), a body the allowed roles succeed with.
def _encounter(discipline: str):
    def body(world, person) -> dict:
        return {
            "discipline": discipline,
            "occurred_at": timezone.now().isoformat(),
            "site": world.calais_day_centre.pk,
            "team_note": "Seen today",
        }

    return body


def _allergy_edit(world, person) -> dict:
    from parcours.care.summary_services import summary_item_create

    allergy = summary_item_create(
        actor=world.doctor, person=person, kind="allergy", data={"substance": "Penicillin"}
    )
    return {"kind": "allergy", "id": allergy.pk, "version": allergy.version, "severity": "severe"}


REQUEST_BODIES = {
    ("POST", "/api/v1/appointments"): lambda world, person: {
        "person": person.pk,
        "discipline": "medical",
        "site": world.calais_day_centre.pk,
        "starts_at": (timezone.now() + timedelta(days=2)).isoformat(),
        "reason": "Wound dressing",
    },
    ("PATCH", "/api/v1/appointments/{id}"): lambda world, person: {
        "version": 1,
        "reason": "Wound dressing, second look",
    },
    ("POST", "/api/v1/persons/{id}/clinical-summary/items"): lambda world, person: {
        "kind": "allergy",
        "substance": "Penicillin",
        "reaction": "Hives",
        "severity": "moderate",
    },
    ("PATCH", "/api/v1/persons/{id}/clinical-summary/items"): _allergy_edit,
    ("PATCH", "/api/v1/persons/{id}/clinical-summary/pregnancy"): lambda world, person: {
        "version": None,
        "status": "pregnant",
    },
    ("POST", "/api/v1/persons/{id}/encounters"): _encounter("medical"),
    ("POST", "/api/v1/encounters"): _encounter("day_centre"),
    ("POST", "/api/v1/persons/{id}/consents"): lambda world, person: {
        "kind": "registration",
        "status": "given",
    },
    ("POST", "/api/v1/persons/{id}/referrals"): lambda world, person: {
        "kind": "internal",
        "category": "medical",
        "to_discipline": "social",
        "reason": "Housing after discharge",
    },
    ("PATCH", "/api/v1/referrals/{id}"): lambda world, person: {
        "version": 1,
        "status": "accepted",
    },
}

# A caller outside the target's project is answered 404, except on these
# routes, whose target project is named in the body: there the unknown
# site is a field error (422), the same as a site that does not exist.
REFUSED_OUTSIDE_PROJECT = {
    ("POST", "/api/v1/encounters"): 422,
    ("POST", "/api/v1/appointments"): 422,
}


# The routes whose {id} is not the person's: (method, path) -> id(world, person).
def _appointment_id(world, person) -> int:
    from parcours.agenda.services import appointment_create

    return appointment_create(
        actor=world.doctor,
        person=person,
        discipline="medical",
        site=world.calais_day_centre,
        clinician=world.doctor,
        data={"starts_at": timezone.now() + timedelta(days=1), "reason": "Dressing"},
    ).pk


def _referral_id(world, person) -> int:
    from tests.network.routes import referral_id_for_api

    return referral_id_for_api(world, person)


def _meal_indicator_id(world, person) -> int:
    from tests.meal.fixtures import calais_plan

    return calais_plan(world)["indicator_id"]


def _meal_export(world, person) -> str:
    from tests.meal.fixtures import calais_plan

    calais_plan(world)
    return f"/api/v1/meal/exports/hxl?project={world.calais.pk}&period=2026-10"


PATH_IDS = {
    ("PATCH", "/api/v1/appointments/{id}"): _appointment_id,
    ("PATCH", "/api/v1/referrals/{id}"): _referral_id,
    ("GET", "/api/v1/meal/indicators/{id}/values"): _meal_indicator_id,
}
# The routes whose whole URL is built (other path parameters, a query).
PATH_URLS = {("GET", "/api/v1/meal/exports/{format}"): _meal_export}
