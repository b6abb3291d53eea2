"""API: a person's consent registry.

Every person is looked up through ``person_for`` (404 for "does not
exist" and "not yours to see" alike); consents are written only by
``access.services.consent_record``, which checks the role (403) and the
data (422). Reading the registry is access-logged (what "consents").
"""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status

from parcours.access.models import (
    SHAREABLE_CATEGORIES,
    Consent,
    ConsentKind,
    ConsentMethod,
    ConsentStatus,
)
from parcours.access.records import visible_consent_history, visible_consents
from parcours.access.scope import person_for
from parcours.access.services import consent_record
from parcours.audit.events import Read
from parcours.lib.api_errors import AUTH_ERRORS, FIELD_ERRORS, ErrorOut
from parcours.lib.api_schemas import Id, InputSchema
from parcours.people.schemas import ReadQuery

router = Router(tags=["consents"])

KindCode = Literal[tuple(ConsentKind.values)]
StatusCode = Literal[tuple(ConsentStatus.values)]
MethodCode = Literal[tuple(ConsentMethod.values)]
CategoryCode = Literal[("", *(c.value for c in SHAREABLE_CATEGORIES))]


class ConsentIn(InputSchema):
    kind: KindCode = Field(..., description="What the person decides about.")
    category: CategoryCode = Field(
        "",
        description="For team_sharing (required): the category shared with the "
        "multidisciplinary team. Empty for the other kinds.",
    )
    status: StatusCode
    method: MethodCode = Field(
        ConsentMethod.ORAL.value,
        description="How the consent was obtained: oral, oral_interpreter or written. "
        "Defaults to oral when omitted: send oral_interpreter when an interpreter was used.",
    )
    scope: str | None = Field(
        "", max_length=120, description="For external_referral: the partner or referral."
    )
    language: str | None = Field(
        "", max_length=3, description="ISO 639-1 or 639-3 code of the language used, e.g. ti."
    )
    note: str | None = Field("", max_length=255)
    decided_at: datetime | None = Field(
        None,
        description=(
            "When the person decided (ISO 8601); now when omitted. Not in the future, not "
            "before the person's first record unless backdate_reason says why."
        ),
    )
    backdate_reason: str | None = Field(
        "",
        max_length=255,
        description="Why a decision is dated before the person's first record (audited).",
    )


class ConsentOut(Schema):
    id: int
    kind: str
    kind_label: str
    category: str
    category_label: str
    scope: str
    status: str
    status_label: str
    decided_at: datetime
    method: str
    method_label: str
    language: str
    note: str
    project: int
    recorded_by: str
    recorded_at: datetime


class ConsentsOut(Schema):
    in_force: list[ConsentOut] = Field(
        ..., description="The latest decision for each kind (and category): the one that applies."
    )
    history: list[ConsentOut] = Field(..., description="Every decision recorded, latest first.")


def _consent(consent: Consent) -> dict:
    return {
        "id": consent.pk,
        "kind": consent.kind,
        "kind_label": str(consent.get_kind_display()),
        "category": consent.category,
        "category_label": str(consent.get_category_display()) if consent.category else "",
        "scope": consent.scope,
        "status": consent.status,
        "status_label": str(consent.get_status_display()),
        "decided_at": consent.decided_at,
        "method": consent.method,
        "method_label": str(consent.get_method_display()),
        "language": consent.language,
        "note": consent.note,
        "project": consent.project_id,
        "recorded_by": str(consent.recorded_by),
        "recorded_at": consent.recorded_at,
    }


@router.get(
    "/persons/{id}/consents",
    response={200: ConsentsOut, **AUTH_ERRORS, 404: ErrorOut, **FIELD_ERRORS},
)
def consent_list(request: HttpRequest, id: Path[Id], filters: Query[ReadQuery]):
    """The person's consent registry: the decisions in force and their history
    (access-logged). Team sharing of a category is listed only to who works
    with that category; the other kinds to who may record them."""
    user = request.auth
    person = person_for(user, id, read=Read.CONSENTS, request=request)
    # What is in force, and what the caller may be told of, is decided by
    # access, read now.
    in_force = visible_consents(user, person)
    history = visible_consent_history(user, person)
    return {"in_force": [_consent(c) for c in in_force], "history": [_consent(c) for c in history]}


@router.post(
    "/persons/{id}/consents",
    response={201: ConsentOut, **AUTH_ERRORS, 403: ErrorOut, 404: ErrorOut, **FIELD_ERRORS},
)
def consent_create(request: HttpRequest, id: Path[Id], payload: ConsentIn):
    """Record a decision of the person: given, refused or withdrawn.

    A decision is never changed: a new one is recorded, and the latest for
    a kind (and category) is in force at once (a withdrawal hides the shared
    notes from the next request). 404 if the person is not one the caller
    may see; 403 if the caller's role may not record this consent (team
    sharing of a category: a clinician of that category); 422 for a bad value.
    """
    user = request.auth
    person = person_for(user, id)
    decided_at = payload.decided_at
    if decided_at is not None and timezone.is_naive(decided_at):
        decided_at = timezone.make_aware(decided_at)
    consent = consent_record(
        actor=user,
        person=person,
        kind=payload.kind,
        status=payload.status,
        method=payload.method,
        category=payload.category,
        scope=payload.scope or "",
        language=(payload.language or "").strip().lower(),
        note=payload.note or "",
        decided_at=decided_at,
        backdate_reason=payload.backdate_reason or "",
    )
    return Status(201, _consent(consent))
