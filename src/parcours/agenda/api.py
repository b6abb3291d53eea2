"""API: appointments, listed, booked and changed (with version: 409 if stale).

Same rules as the agenda pages: the caller sees the appointments of the
projects where they see identities; the reason only where they read the
discipline's category in full. Every person returned is access-logged.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from parcours.access.appointments import appointment_for
from parcours.access.scope import log_reads, may, visible_persons, working_projects
from parcours.access.terms import Action
from parcours.agenda import services
from parcours.agenda.agenda import Period, RowBuilder, in_period, visible_appointments
from parcours.agenda.schemas import (
    AppointmentCreateIn,
    AppointmentListOut,
    AppointmentOut,
    AppointmentPatchIn,
    AppointmentQuery,
    AppointmentStaleOut,
)
from parcours.audit.events import Read
from parcours.care.choices import DISCIPLINE_CATEGORY
from parcours.lib.api_errors import AUTH_ERRORS, FIELD_ERRORS, ErrorOut
from parcours.lib.api_schemas import Id
from parcours.org.models import Site

router = Router(tags=["agenda"])

WRITE_ERRORS = {**AUTH_ERRORS, 403: ErrorOut, 404: ErrorOut, **FIELD_ERRORS}
MAX_RESULTS = 500
MAX_DAYS = 62


def _out(builder: RowBuilder, appointment, warnings=()) -> dict:
    out = {
        "id": appointment.pk,
        "person": appointment.person_id,
        "person_name": appointment.person.display_name,
        "discipline": appointment.discipline,
        "category": appointment.category.value,
        "project": appointment.project_id,
        "site": appointment.site_id,
        "site_name": appointment.site.name,
        "clinician": appointment.clinician_id,
        "clinician_name": (
            appointment.clinician.get_full_name() or appointment.clinician.username
            if appointment.clinician_id
            else ""
        ),
        "starts_at": appointment.starts_at,
        "duration_minutes": appointment.duration_minutes,
        "status": appointment.status,
        "version": appointment.version,
        "follow_up_of": appointment.follow_up_of_id,
        "encounter": appointment.encounter_id,
        "warnings": list(warnings),
    }
    if builder.reason_shown(appointment):
        out["reason"] = appointment.reason
    return out


@router.get(
    "/appointments",
    response={200: AppointmentListOut, **AUTH_ERRORS, **FIELD_ERRORS},
    exclude_unset=True,
)
def appointment_list(request: HttpRequest, filters: Query[AppointmentQuery]):
    """Appointments of your projects from ``date_from`` to ``date_to`` (at most
    62 days, 500 appointments), filtered by site, clinician, person, status.
    The reason is absent where the discipline is not yours to read."""
    user = request.auth
    first = filters.date_from or timezone.localdate()
    last = filters.date_to or first + timedelta(days=7)
    if last < first or (last - first).days >= MAX_DAYS:
        raise ValidationError(
            {
                "date_to": [
                    _("Choose a last day after the first one, within %(n)d days.") % {"n": MAX_DAYS}
                ]
            }
        )
    rows = in_period(visible_appointments(user), Period(first, (last - first).days + 1))
    for name in ("site", "clinician", "person", "status"):
        value = getattr(filters, name)
        if value is not None:
            rows = rows.filter(**{f"{name}_id" if name != "status" else name: value})
    rows = list(rows.select_related("person", "site", "clinician")[:MAX_RESULTS])
    log_reads(request, {a.person_id: a.person for a in rows}.values(), Read.AGENDA)
    builder = RowBuilder(user)
    return {"count": len(rows), "results": [_out(builder, a) for a in rows]}


@router.post(
    "/appointments",
    response={201: AppointmentOut, **WRITE_ERRORS},
    exclude_unset=True,
)
def appointment_create(request: HttpRequest, payload: AppointmentCreateIn):
    """Book an appointment. 403 if your role may not book this discipline in
    the site's project; 422 with field errors for an unknown site or person
    (including one outside your projects), a clinician who does not hold this
    discipline there, or a planned appointment in the past. Two appointments
    of one clinician at the same time are allowed: ``warnings`` says so."""
    user = request.auth
    site = (
        Site.objects.select_related("project")
        .filter(pk=payload.site, project_id__in=working_projects(user))
        .first()
    )
    if site is None:
        raise ValidationError({"site": [_("Unknown site: choose one of your projects' sites.")]})
    if not may(user, Action.CREATE, DISCIPLINE_CATEGORY[payload.discipline], site.project_id):
        raise PermissionDenied(_("Your role may not book this kind of appointment here."))
    person = visible_persons(user).filter(pk=payload.person).first()
    if person is None:
        raise ValidationError({"person": [_("Unknown person.")]})
    clinician = None
    if payload.clinician is not None:
        clinician = get_user_model().objects.filter(pk=payload.clinician, is_active=True).first()
        if clinician is None:
            raise ValidationError({"clinician": [_("Unknown clinician.")]})
    appointment = services.appointment_create(
        actor=user,
        person=person,
        discipline=payload.discipline,
        site=site,
        clinician=clinician,
        data={
            "starts_at": payload.starts_at,
            "duration_minutes": payload.duration_minutes,
            "reason": payload.reason,
        },
    )
    log_reads(request, [person], Read.APPOINTMENT)
    return Status(201, _out(RowBuilder(user), appointment, appointment.warnings))


@router.patch(
    "/appointments/{id}",
    response={200: AppointmentOut, 409: AppointmentStaleOut, **WRITE_ERRORS},
    exclude_unset=True,
)
def appointment_update(request: HttpRequest, id: Path[Id], payload: AppointmentPatchIn):
    """Change an appointment; send the ``version`` you read. If someone
    changed it since, nothing is written: 409 with the current version.
    The time, site, clinician and reason: the care team of the discipline;
    the status (arrived, missed, cancelled, planned): whoever may edit
    identities in its project (reception included); 403 otherwise."""
    user = request.auth
    appointment = appointment_for(user, id)
    sent = payload.model_dump(exclude_unset=True, exclude={"version"})
    data = {}
    for field in ("starts_at", "duration_minutes", "reason", "status"):
        if field in sent:
            if sent[field] is None:
                raise ValidationError({field: [_("This field cannot be null.")]})
            data[field] = sent[field]
    if "site" in sent:
        site = Site.objects.filter(pk=sent["site"] or 0, project_id=appointment.project_id).first()
        if site is None:
            raise ValidationError({"site": [_("Choose a site of the appointment's project.")]})
        data["site"] = site
    if "clinician" in sent:
        data["clinician"] = None
        if sent["clinician"] is not None:
            data["clinician"] = (
                get_user_model().objects.filter(pk=sent["clinician"], is_active=True).first()
            )
            if data["clinician"] is None:
                raise ValidationError({"clinician": [_("Unknown clinician.")]})
    try:
        updated = services.appointment_update(
            actor=user, appointment_id=appointment.pk, version=payload.version, data=data
        )
    except services.StaleAppointment as stale:
        return Status(
            409,
            {
                "detail": _("Someone else changed this appointment since you read it."),
                "current_version": stale.appointment.version,
            },
        )
    updated.person = appointment.person
    log_reads(request, [appointment.person], Read.APPOINTMENT)
    return _out(RowBuilder(user), updated, updated.warnings)
