"""The only way to write appointments: validated, access-checked, audited.

Booking and changing an appointment's time, clinician or reason needs the
right to record its discipline in its project; marking an arrival, a missed
or a cancelled appointment needs identity edit there (reception does it).
An encounter recorded from an appointment closes it ("seen"): see receivers.
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from parcours.access.appointments import may_edit_appointment, may_mark_appointment
from parcours.access.module_scopes import appointment_clinicians
from parcours.access.scope import may, person_projects, works_with
from parcours.access.terms import Action
from parcours.agenda.models import OPEN_STATUSES, Appointment, Status
from parcours.agenda.validation import (
    MAX_DURATION,
    check_discipline,
    clean_appointment,
    past_and_planned,
    past_planned_message,
)
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.care.choices import DISCIPLINE_CATEGORY

CONTENT_FIELDS = ("starts_at", "duration_minutes", "reason", "clinician", "site")

# Status → the statuses it may become by hand (SEEN only through an encounter).
TRANSITIONS = {
    Status.PLANNED: {Status.ARRIVED, Status.MISSED, Status.CANCELLED},
    Status.ARRIVED: {Status.PLANNED, Status.MISSED, Status.CANCELLED},
    Status.MISSED: {Status.PLANNED, Status.ARRIVED},
    Status.CANCELLED: {Status.PLANNED},
    Status.SEEN: set(),
}
STATUS_EVENTS = {
    Status.ARRIVED: Event.APPOINTMENT_ARRIVED,
    Status.MISSED: Event.APPOINTMENT_MISSED,
    Status.CANCELLED: Event.APPOINTMENT_CANCEL,
    Status.PLANNED: Event.APPOINTMENT_UPDATE,
}


class StaleAppointment(Exception):
    def __init__(self, appointment):
        super().__init__(f"appointment {appointment.pk} is at version {appointment.version}")
        self.appointment = appointment


def clinician_conflicts(appointment: Appointment) -> list[str]:
    """Warnings (never a refusal): the clinician's other open appointments
    overlapping this one, in the same project (another project's agenda is
    not the booker's to read). Names no person."""
    if appointment.clinician_id is None or appointment.status not in OPEN_STATUSES:
        return []
    others = (
        Appointment.objects.filter(
            clinician_id=appointment.clinician_id,
            project_id=appointment.project_id,
            status__in=OPEN_STATUSES,
            starts_at__lt=appointment.ends_at,
            starts_at__gt=appointment.starts_at - timedelta(minutes=MAX_DURATION),
        )
        .exclude(pk=appointment.pk)
        .select_related("site")
    )
    warnings = []
    for other in others:
        if other.ends_at <= appointment.starts_at:
            continue
        start = timezone.localtime(other.starts_at)
        warnings.append(
            _(
                "%(clinician)s already has an appointment on %(day)s from %(start)s to %(end)s "
                "(%(site)s): two appointments at the same time."
            )
            % {
                "clinician": appointment.clinician.get_full_name() or appointment.clinician,
                "day": date_format(start, "SHORT_DATE_FORMAT"),
                "start": time_format(start, "TIME_FORMAT"),
                "end": time_format(timezone.localtime(other.ends_at), "TIME_FORMAT"),
                "site": other.site.name,
            }
        )
    return warnings


def _check_clinician(clinician, project, discipline: str) -> None:
    if clinician is None:
        return
    allowed = appointment_clinicians([project.pk], [DISCIPLINE_CATEGORY[discipline]])
    if not allowed.filter(user=clinician).exists():
        raise ValidationError(
            {
                "clinician": [
                    _("%(name)s does not hold consultations of this discipline in this project.")
                    % {"name": clinician.get_full_name() or clinician}
                ]
            }
        )


def _check_site(site, project) -> None:
    if site.project_id != project.pk:
        raise ValidationError(
            {
                "site": [
                    _(
                        "Choose a site of the appointment's project; for another project, "
                        "book a new appointment."
                    )
                ]
            }
        )
    if not site.is_active or not project.accepts_new_records:
        raise ValidationError({"site": [_("This site is no longer in use.")]})


@transaction.atomic
def appointment_create(
    *,
    actor,
    person,
    discipline: str,
    site,
    data: dict,
    clinician=None,
    follow_up_of=None,
    now: datetime | None = None,
) -> Appointment:
    """Book an appointment. ``data``: starts_at, duration_minutes, reason.
    The result carries ``warnings`` (double bookings of the clinician)."""
    check_discipline(discipline)
    category = DISCIPLINE_CATEGORY[discipline]
    project = site.project
    if not may(actor, Action.CREATE, category, project.pk):
        raise PermissionDenied(_("Your role may not book this kind of appointment here."))
    if not works_with(actor, person):
        raise PermissionDenied(_("You may not book appointments for this person."))
    if person.merged_into_id:
        raise ValidationError({"person": [_("This record was merged into another one.")]})
    if project.pk not in person_projects(person):
        raise ValidationError(
            {
                "site": [
                    _(
                        "This person is not followed in the project of this site. Someone of "
                        "that project must first enrol them from their record."
                    )
                ]
            }
        )
    _check_site(site, project)
    _check_clinician(clinician, project, discipline)
    cleaned = clean_appointment(data, status=Status.PLANNED, check_past=True, now=now)
    appointment = Appointment.objects.create(
        person=person,
        discipline=discipline,
        project=project,
        site=site,
        clinician=clinician,
        starts_at=cleaned["starts_at"],
        duration_minutes=cleaned["duration_minutes"],
        reason=cleaned["reason"],
        follow_up_of=follow_up_of,
        booked_by=actor,
    )
    audit.record(
        actor=actor,
        event=Event.APPOINTMENT_CREATE,
        subject=appointment,
        project=project,
        # The reason stays out of the audit trail: it is read by other roles.
        extra={
            "person": person.pk,
            "discipline": discipline,
            "site": site.pk,
            "clinician": clinician.pk if clinician else None,
            "starts_at": appointment.starts_at.isoformat(),
            "follow_up_of": follow_up_of.pk if follow_up_of else None,
        },
    )
    appointment.warnings = clinician_conflicts(appointment)
    return appointment


def _transition(actor, appointment: Appointment, status: str, now: datetime) -> None:
    """Check a change of status by hand; raises with a message people understand."""
    if not may_mark_appointment(actor, appointment):
        raise PermissionDenied(_("You may not change this appointment."))
    current = Status(appointment.status)
    if current == Status.SEEN:
        raise ValidationError(
            {"status": [_("This appointment was closed by an encounter: it cannot change.")]}
        )
    if status not in TRANSITIONS[current]:
        raise ValidationError(
            {
                "status": [
                    _("A “%(current)s” appointment cannot become “%(new)s”.")
                    % {"current": current.label, "new": Status(status).label}
                ]
            }
        )
    local_day = timezone.localtime(appointment.starts_at).date()
    if status == Status.ARRIVED and local_day != timezone.localtime(now).date():
        raise ValidationError(
            {
                "status": [
                    _("Arrivals are marked on the day of the appointment (%(day)s).")
                    % {"day": date_format(local_day, "SHORT_DATE_FORMAT")}
                ]
            }
        )
    if status == Status.MISSED and appointment.starts_at > now:
        raise ValidationError({"status": [_("An appointment cannot be missed before its time.")]})
    if status == Status.PLANNED and past_and_planned(appointment.starts_at, now=now):
        raise ValidationError({"status": [past_planned_message(appointment.starts_at)]})


def _locked(appointment_id: int, version: int | None) -> Appointment:
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("project", "site", "clinician")
        .get(pk=appointment_id)
    )
    if version is not None and appointment.version != version:
        raise StaleAppointment(appointment)
    return appointment


@transaction.atomic
def appointment_update(
    *,
    actor,
    appointment_id: int,
    version: int,
    data: dict,
    now: datetime | None = None,
) -> Appointment:
    """Change an appointment: its slot and reason (``starts_at``,
    ``duration_minutes``, ``reason``, ``clinician``, ``site``) and/or its
    ``status``. Raises StaleAppointment when ``version`` is not the current one."""
    now = now or timezone.now()
    appointment = _locked(appointment_id, version)
    status = data.get("status", appointment.status)
    if status not in Status.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    content = {f: data[f] for f in CONTENT_FIELDS if f in data}
    # Refused as soon as a protected field is sent, whatever its value:
    # comparing first would let someone test guesses of the reason.
    if content and not may_edit_appointment(actor, appointment):
        raise PermissionDenied(
            _("Only the care team of this discipline may change the time or the reason.")
        )
    changed = [f for f, v in content.items() if getattr(appointment, f) != v]
    if changed and appointment.status == Status.SEEN:
        raise ValidationError(_("This appointment was closed by an encounter: it cannot change."))
    status_changes = status != appointment.status
    if status_changes:
        if status == Status.SEEN:
            raise ValidationError(
                {"status": [_("An appointment is “seen” when an encounter is recorded from it.")]}
            )
        _transition(actor, appointment, status, now)
    if not changed and not status_changes:
        appointment.warnings = []
        return appointment
    current = {f: getattr(appointment, f) for f in ("starts_at", "duration_minutes", "reason")}
    cleaned = clean_appointment(
        {**current, **{f: v for f, v in content.items() if f in current}},
        status=status,
        # A planned appointment is never left in the past, whatever changed.
        check_past=status == Status.PLANNED and ("starts_at" in changed or status_changes),
        now=now,
    )
    # Checked only when changed: a site closed or a clinician gone since the
    # booking does not block correcting the reason.
    if "site" in changed:
        _check_site(content["site"], appointment.project)
    if "clinician" in changed:
        _check_clinician(content["clinician"], appointment.project, appointment.discipline)
    before = {f: getattr(appointment, f) for f in changed}
    for field in ("starts_at", "duration_minutes", "reason"):
        setattr(appointment, field, cleaned[field])
    for field in ("site", "clinician"):
        if field in content:
            setattr(appointment, field, content[field])
    if status_changes:
        appointment.status = status
        appointment.arrived_at = now if status == Status.ARRIVED else None
    appointment.version += 1
    appointment.save()
    if changed:
        audit.record(
            actor=actor,
            event=Event.APPOINTMENT_UPDATE,
            subject=appointment,
            project=appointment.project,
            changes={f: (before[f], getattr(appointment, f)) for f in changed if f != "reason"},
            extra={
                "fields": sorted(changed),
                "version": appointment.version,
                "person": appointment.person_id,
            },
        )
    if status_changes:
        audit.record(
            actor=actor,
            event=STATUS_EVENTS[Status(status)],
            subject=appointment,
            project=appointment.project,
            extra={
                "status": status,
                "version": appointment.version,
                "person": appointment.person_id,
            },
        )
    appointment.warnings = clinician_conflicts(appointment)
    return appointment


def _set_status(actor, appointment, status: str, now) -> Appointment:
    return appointment_update(
        actor=actor,
        appointment_id=appointment.pk,
        version=appointment.version,
        data={"status": status},
        now=now,
    )


def appointment_mark_arrived(*, actor, appointment, now: datetime | None = None) -> Appointment:
    return _set_status(actor, appointment, Status.ARRIVED, now)


def appointment_mark_missed(*, actor, appointment, now: datetime | None = None) -> Appointment:
    return _set_status(actor, appointment, Status.MISSED, now)


def appointment_cancel(*, actor, appointment, now: datetime | None = None) -> Appointment:
    return _set_status(actor, appointment, Status.CANCELLED, now)


@transaction.atomic
def appointment_mark_seen(*, actor, appointment, encounter) -> Appointment:
    """The encounter recorded from the appointment closes it (called by the
    receiver of care's ``encounter_recorded``, after care's own checks)."""
    appointment = _locked(appointment.pk, None)
    if appointment.status not in (Status.PLANNED, Status.ARRIVED, Status.MISSED):
        return appointment
    if (
        encounter.person_id != appointment.person_id
        or encounter.project_id != appointment.project_id
        or encounter.discipline != appointment.discipline
    ):
        raise ValidationError(_("This encounter is not about this appointment."))
    appointment.status = Status.SEEN
    appointment.encounter = encounter
    appointment.version += 1
    appointment.save()
    audit.record(
        actor=actor,
        event=Event.APPOINTMENT_SEEN,
        subject=appointment,
        project=appointment.project,
        extra={
            "encounter": encounter.pk,
            "version": appointment.version,
            "person": appointment.person_id,
        },
    )
    return appointment
