"""Every route of the JSON API and the rule that guards it.

Imported by tests/test_authorisation_matrix.py; tests/api/test_openapi.py
fails when a route of the API is missing here (or listed but gone).

Rules: "public" (no token), "member" (any valid token: the caller's own
projects only), "<category>.<action>" (the access policy decides, per person
or per project).
"""

from datetime import timedelta

from django.utils import timezone

from tests.cases.routes import (
    CASES_API_BODIES,
    CASES_API_ROUTES,
    CASES_API_RULES,
    CASES_NOT_FOUND_WHEN_REFUSED,
    CASES_PATH_IDS,
)
from tests.customfields.routes import (
    CUSTOMFIELDS_API_REQUESTS,
    CUSTOMFIELDS_API_ROUTES,
    CUSTOMFIELDS_API_RULES,
    CUSTOMFIELDS_NOT_FOUND_WHEN_REFUSED,
    CUSTOMFIELDS_PATH_IDS,
)

API_ROUTES = {
    ("GET", "/api/v1/openapi.json"): "public",
    ("GET", "/api/v1/docs"): "public",
    ("POST", "/api/v1/auth/token"): "public",
    ("GET", "/api/v1/projects"): "member",
    ("GET", "/api/v1/sites"): "member",
    ("GET", "/api/v1/persons"): "identity.view",
    ("POST", "/api/v1/persons"): "identity.create",
    # A search by name: the name in the body, never in the URL.
    ("POST", "/api/v1/persons/search"): "identity.view",
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
    # Care pathways, cases and tasks: tests/cases/routes.py.
    **CASES_API_ROUTES,
    # MEAL: the list holds the indicators whose figures the caller reads; an
    # indicator's values and a project's exports for who reads its figures
    # (the target is Calais' MED-CONS: exact or with small cells suppressed).
    ("GET", "/api/v1/meal/indicators"): "member",
    ("GET", "/api/v1/meal/indicators/{id}/values"): "meal_figures",
    ("GET", "/api/v1/meal/exports/{format}"): "meal_figures",
    # Pharmacy stock: lists hold the sites whose stock the caller's role reads
    # (none: empty; a site named outside them: 404, tests/stock/test_api.py);
    # dispensing needs stock create at the site, orders stock edit (validating
    # one: the medical referent only). The example body of the status route
    # sends the draft for validation.
    ("GET", "/api/v1/stock/items"): "member",
    ("GET", "/api/v1/stock"): "member",
    ("GET", "/api/v1/stock/ledger"): "member",
    ("POST", "/api/v1/stock/dispensings"): "stock.create",
    ("GET", "/api/v1/stock/orders"): "member",
    ("POST", "/api/v1/stock/orders"): "stock.edit",
    ("GET", "/api/v1/stock/orders/{id}"): "stock.view",
    ("POST", "/api/v1/stock/orders/{id}/status"): "stock.edit",
    # Feedback: the public route needs no token (201 with a reference); the
    # list holds what the caller reads (member); an item that is not
    # sensitive is handled by who edits the feedback category (the target).
    ("POST", "/api/v1/feedback"): "public",
    ("GET", "/api/v1/feedback"): "member",
    ("PATCH", "/api/v1/feedback"): "feedback.edit",
    ("GET", "/api/v1/testimonies"): "member",
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
    # Care pathways, cases and tasks: tests/cases/routes.py.
    **CASES_API_ROUTES,
    # MEAL: the list holds the indicators whose figures the caller reads; an
    # indicator's values and a project's exports for who reads its figures
    # (the target is Calais' MED-CONS: exact or with small cells suppressed).
    # Custom fields: tests/customfields/routes.py.
    **CUSTOMFIELDS_API_ROUTES,
}
# Rules that are not one policy cell: persona -> allowed; and the routes
# refused with 404 even to who sees the person (their object is not theirs).
CONDITIONAL_API_RULES = {**CASES_API_RULES, **CUSTOMFIELDS_API_RULES}
NOT_FOUND_WHEN_REFUSED = {*CASES_NOT_FOUND_WHEN_REFUSED, *CUSTOMFIELDS_NOT_FOUND_WHEN_REFUSED}

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


def _stocked_item(world):
    """An item stocked at the Calais site with 20 in stock (once per test)."""
    from parcours.stock import services
    from parcours.stock.models import Item, SiteItem

    item, created = Item.objects.get_or_create(
        code="DORAPARA5T",
        defaults={"name_fr": "Paracétamol", "name_en": "Paracetamol", "form": "tablet"},
    )
    if created:
        SiteItem.objects.create(site=world.calais_day_centre, item=item)
        services.receipt_record(
            actor=world.referent,
            site=world.calais_day_centre,
            item=item,
            supplier="MSF Supply",
            batches=[
                {
                    "number": "L1",
                    "expires_on": timezone.localdate() + timedelta(days=365),
                    "quantity": 20,
                }
            ],
        )
    return item


def _dispensing(world, person) -> dict:
    item = _stocked_item(world)
    return {"site": world.calais_day_centre.pk, "item": item.code, "quantity": 2}


def _order(world, person) -> dict:
    item = _stocked_item(world)
    return {"site": world.calais_day_centre.pk, "lines": [{"item": item.code, "quantity": 50}]}


def _order_id(world, person) -> int:
    from parcours.stock.orders import order_create

    item = _stocked_item(world)
    return order_create(
        actor=world.referent,
        site=world.calais_day_centre,
        lines=[{"item": item.pk, "quantity": 50}],
    ).pk


REQUEST_BODIES = {
    ("POST", "/api/v1/persons/search"): lambda world, person: {"q": person.given_name},
    ("POST", "/api/v1/stock/dispensings"): _dispensing,
    ("POST", "/api/v1/stock/orders"): _order,
    ("POST", "/api/v1/stock/orders/{id}/status"): lambda world, person: {
        "status": "waiting",
        "version": 1,
    },
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
    ("POST", "/api/v1/feedback"): lambda world, person: {
        "project": "CAL",
        "language": "ar",
        "message": "شكرا",
    },
    ("PATCH", "/api/v1/feedback"): lambda world, person: _feedback_step(world),
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
    **CASES_API_BODIES,
}


def _feedback_step(world) -> dict:
    from parcours.feedback.services import feedback_record

    item = feedback_record(
        actor=world.reception,
        project=world.calais,
        data={"channel": "phone", "category": "suggestion", "message": "More blankets"},
    )
    return {"reference": item.reference, "version": item.version, "status": "acknowledged"}


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
    ("GET", "/api/v1/stock/orders/{id}"): _order_id,
    ("POST", "/api/v1/stock/orders/{id}/status"): _order_id,
    **CASES_PATH_IDS,
    **CUSTOMFIELDS_PATH_IDS,
}
# The routes whose whole URL is built (other path parameters, a query).
PATH_URLS = {("GET", "/api/v1/meal/exports/{format}"): _meal_export}
# The routes sent otherwise than as JSON (a multipart upload).
API_REQUESTS = {**CUSTOMFIELDS_API_REQUESTS}


# Routes about an object that is not a person, answered 403 to who sees the
# object (stock view in its project) but may not act on it, 404 to anyone
# else: (method, path) -> the refusal for a Calais role.
def _stock_refusal(role) -> int:
    from parcours.access.policy import allowed

    return 403 if role is not None and allowed(role, "stock", "view") else 404


REFUSED_BY_ROLE = {("POST", "/api/v1/stock/orders/{id}/status"): _stock_refusal}
