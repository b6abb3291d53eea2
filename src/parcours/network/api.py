"""API: the service directory (readable by every signed-in caller) and
referrals (a person's, the caller's own; sending; status with version, 409
on stale). An external referral without the person's consent naming the
organisation is refused (422 on ``consent``) and nothing is saved."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from parcours.access.scope import person_for, visible_persons
from parcours.audit.events import Read
from parcours.lib.api_errors import AUTH_ERRORS, FIELD_ERRORS, ErrorOut
from parcours.lib.api_schemas import Id
from parcours.network import directory_io, services
from parcours.network.letter import letter_sections
from parcours.network.models import Referral
from parcours.network.referrals import (
    log_referral_reads,
    may_update,
    person_referrals,
    referral_consent,
    referral_for,
    sees_referral,
)
from parcours.network.schemas import (
    FeatureCollectionOut,
    ReferralIn,
    ReferralListOut,
    ReferralOut,
    ReferralPatchIn,
    ReferralQuery,
    ReferralStaleOut,
    ServiceListOut,
    ServiceQuery,
)
from parcours.network.views import filtered_services

router = Router(tags=["network"])

WRITE_ERRORS = {**AUTH_ERRORS, 403: ErrorOut, 404: ErrorOut, **FIELD_ERRORS}
MAX_RESULTS = 500


def _service(service) -> dict:
    return {
        "id": service.pk,
        "name": service.name,
        "type": service.type,
        "address": service.address,
        "city": service.city,
        "latitude": None if service.latitude is None else float(service.latitude),
        "longitude": None if service.longitude is None else float(service.longitude),
        "opening_hours": service.opening_hours,
        "languages": service.languages,
        "eligibility": service.eligibility,
        "phone": service.phone,
        "email": service.email,
        "website": service.website,
        "contact": service.contact,
        "notes": service.notes,
        "last_verified_on": service.last_verified_on,
        "needs_verification": service.needs_verification(),
    }


@router.get(
    "/services",
    response={200: ServiceListOut | FeatureCollectionOut, **AUTH_ERRORS, **FIELD_ERRORS},
)
def service_list(request: HttpRequest, filters: Query[ServiceQuery]):
    """The service directory (no personal data: every caller reads it),
    filtered. ``format=geojson`` answers a GeoJSON FeatureCollection
    ([longitude, latitude]; null geometry without coordinates)."""
    params = {k: v for k, v in filters.model_dump().items() if v not in (None, False, "")}
    params.pop("format", None)
    _form, rows = filtered_services({k: "on" if v is True else v for k, v in params.items()})
    if filters.format == "geojson":
        return directory_io.feature_collection(rows)
    return {"count": len(rows), "results": [_service(s) for s in rows]}


def _referral(referral, scope, today) -> dict:
    consent = None
    shared = []
    if referral.kind == "external":
        consent = referral_consent(referral.person, referral.organisation) is not None
        if consent:
            shared = [
                {
                    "category": code,
                    "label": heading,
                    "items": [{"label": str(k), "value": str(v or "")} for k, v in pairs],
                }
                for code, heading, pairs in letter_sections(referral, scope)
            ]
    return {
        "id": referral.pk,
        "person": referral.person_id,
        "project": referral.project_id,
        "kind": referral.kind,
        "category": referral.category,
        "to_discipline": referral.to_discipline,
        "to_user": referral.to_user_id,
        "service": referral.service_id,
        "organisation": referral.organisation,
        "reason": referral.reason,
        "shared_categories": referral.shared_categories,
        "shared": shared,
        "consent_in_force": consent,
        "warnings": referral.warnings,
        "status": referral.status,
        "sent_on": referral.sent_on,
        "accepted_on": referral.accepted_on,
        "done_on": referral.done_on,
        "refused_on": referral.refused_on,
        "lost_on": referral.lost_on,
        "status_note": referral.status_note,
        "follow_up_on": referral.follow_up_on,
        "overdue": referral.is_overdue(today),
        "owner": referral.owner_id,
        "version": referral.version,
    }


@router.get(
    "/persons/{id}/referrals",
    response={200: ReferralListOut, **AUTH_ERRORS, 404: ErrorOut},
)
def person_referral_list(request: HttpRequest, id: Path[Id]):
    """The person's referrals you see (yours, your discipline's, those
    addressed to you). ``shared`` holds what the letter shares, never a
    category that was not chosen, nor one you do not read yourself."""
    from parcours.access.records import record_scope

    user = request.auth
    person = person_for(user, id, read=Read.REFERRAL, request=request)
    scope = record_scope(user, person)
    today = timezone.localdate()
    rows = person_referrals(user, person, scope=scope)
    for referral in rows:
        referral.person = person
    return {"count": len(rows), "results": [_referral(r, scope, today) for r in rows]}


@router.post("/persons/{id}/referrals", response={201: ReferralOut, **WRITE_ERRORS})
def person_referral_create(request: HttpRequest, id: Path[Id], payload: ReferralIn):
    """Refer the person. Internal: ``to_discipline`` and/or ``to_user``
    (nothing shared beyond identity). External: ``service`` or
    ``organisation``, and the ``categories`` shared (among those you read in
    full). An external referral without the person's consent naming the
    organisation: 422 on ``consent``, nothing saved. A service closed at
    ``planned_for`` (or now) or not for this person: sent, with ``warnings``
    recorded. 403 if your role does not refer."""
    from parcours.access.records import record_scope

    user = request.auth
    person = person_for(user, id)
    data = payload.model_dump()
    referral = services.referral_send(actor=user, person=person, data=data, confirm_warnings=True)
    referral.person = person
    log_referral_reads(request, [referral])
    return Status(201, _referral(referral, record_scope(user, person), timezone.localdate()))


@router.get("/referrals", response={200: ReferralListOut, **AUTH_ERRORS, **FIELD_ERRORS})
def referral_list(request: HttpRequest, filters: Query[ReferralQuery]):
    """Your referrals (``mine=1``, the default), or also those addressed to
    you by name (``mine=0``); ``overdue=1``: follow-up date passed."""
    from parcours.access.records import record_scope

    user = request.auth
    today = timezone.localdate()
    who = Q(owner=user) if filters.mine else Q(owner=user) | Q(to_user=user)
    rows = Referral.objects.filter(who, person__in=visible_persons(user))
    if filters.overdue:
        rows = rows.filter(status__in=("sent", "accepted"), follow_up_on__lt=today)
    rows = list(rows.select_related("person").order_by("follow_up_on", "-id")[:MAX_RESULTS])
    scopes = {}
    shown = []
    for referral in rows:
        scope = scopes.setdefault(referral.person_id, record_scope(user, referral.person))
        if sees_referral(user, referral, scope):
            shown.append((referral, scope))
    log_referral_reads(request, [r for r, _s in shown])
    return {"count": len(shown), "results": [_referral(r, s, today) for r, s in shown]}


@router.patch(
    "/referrals/{id}",
    response={200: ReferralOut, 409: ReferralStaleOut, **WRITE_ERRORS},
)
def referral_update(request: HttpRequest, id: Path[Id], payload: ReferralPatchIn):
    """Move the referral along sent → accepted → done (or refused, or lost
    to follow-up), with the date (``on``, default today), and/or change its
    follow-up date. Done before accepted needs a ``note``. Send the
    ``version`` you read: 409 with the current one if it changed since.
    403 if you see the person but may not change this referral."""
    user = request.auth
    try:
        referral, scope = referral_for(user, id)
    except Http404:
        person_id = Referral.objects.filter(pk=id).values_list("person_id", flat=True).first()
        if person_id is not None and visible_persons(user).filter(pk=person_id).exists():
            raise PermissionDenied(_("You may not change this referral.")) from None
        raise
    if not may_update(user, referral, scope):
        raise PermissionDenied(_("You may not change this referral."))
    try:
        updated = services.referral_update(
            actor=user,
            referral_id=referral.pk,
            version=payload.version,
            status=payload.status or "",
            on=payload.on,
            note=payload.note,
            follow_up_on=payload.follow_up_on,
        )
    except services.Stale as stale:
        return Status(
            409,
            {
                "detail": _("Someone else changed this referral since you read it."),
                "current_version": stale.row.version,
            },
        )
    updated.person = referral.person
    log_referral_reads(request, [updated])
    return _referral(updated, scope, timezone.localdate())
