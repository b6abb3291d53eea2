"""What the agenda does when care records an encounter or people merges records.

- An encounter recorded from an appointment (the page passes its id) closes
  it: "seen". Without an id, the person's one open appointment of that
  discipline and project on the encounter's day is the one closed.
- An encounter asking for a follow-up date books it: a planned appointment
  that day (discipline and site of the encounter, its author as clinician).
  When the date is changed the appointment moves; when it is removed, the
  appointment is cancelled.
- Appointments follow a person's record when duplicates are merged.
"""

import logging
from contextlib import suppress
from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver
from django.http import Http404
from django.utils import timezone

from parcours.access.scope import parse_id
from parcours.agenda import services
from parcours.agenda.models import APPOINTMENT_DISCIPLINES, Appointment, Status
from parcours.care.services import follow_up_close
from parcours.care.signals import encounter_recorded, encounter_updated
from parcours.people.signals import person_merged, person_unmerged

log = logging.getLogger(__name__)

FOLLOW_UP_HOUR = 9
CLOSABLE = (Status.PLANNED, Status.ARRIVED, Status.MISSED)


def _appointment_to_close(encounter, appointment_id) -> Appointment | None:
    same = Appointment.objects.filter(
        person_id=encounter.person_id,
        project_id=encounter.project_id,
        discipline=encounter.discipline,
        status__in=CLOSABLE,
    )
    if appointment_id not in (None, ""):
        try:
            return same.filter(pk=parse_id(appointment_id)).first()
        except Http404:
            return None
    day = timezone.localtime(encounter.occurred_at).date()
    start = timezone.make_aware(datetime.combine(day, time.min))
    candidates = list(
        same.filter(
            status__in=(Status.PLANNED, Status.ARRIVED),
            starts_at__gte=start,
            starts_at__lt=start + timedelta(days=1),
        )[:2]
    )
    return candidates[0] if len(candidates) == 1 else None


def _follow_up_start(day, now):
    start = timezone.make_aware(datetime.combine(day, time(FOLLOW_UP_HOUR)))
    if start >= now:
        return start
    if day != timezone.localtime(now).date():
        return None  # a follow-up date already past: nothing to book
    # Today, later than the usual hour: the next quarter of an hour.
    local = timezone.localtime(now).replace(second=0, microsecond=0)
    local += timedelta(minutes=15 - local.minute % 15)
    return local if local.date() == day else None


def _book_follow_up(encounter, actor) -> None:
    if encounter.discipline not in APPOINTMENT_DISCIPLINES or encounter.follow_up_on is None:
        return
    starts_at = _follow_up_start(encounter.follow_up_on, timezone.now())
    if starts_at is None:
        return
    day_start = timezone.make_aware(datetime.combine(encounter.follow_up_on, time.min))
    already = Appointment.objects.filter(
        person_id=encounter.person_id,
        discipline=encounter.discipline,
        status=Status.PLANNED,
        starts_at__gte=day_start,
        starts_at__lt=day_start + timedelta(days=1),
    ).exists()
    if already:
        return
    try:
        services.appointment_create(
            actor=actor,
            person=encounter.person,
            discipline=encounter.discipline,
            site=encounter.site,
            clinician=actor,
            follow_up_of=encounter,
            data={"starts_at": starts_at, "duration_minutes": 30, "reason": ""},
        )
    except (PermissionDenied, ValidationError) as error:
        # The follow-up date stays on the encounter (home page list).
        log.info("follow-up of encounter %s not booked: %s", encounter.pk, error)


@receiver(encounter_recorded)
def on_encounter_recorded(sender, encounter, actor, appointment=None, **kwargs) -> None:
    if encounter.person_id is None:
        return
    target = _appointment_to_close(encounter, appointment)
    if target is not None:
        closed = services.appointment_mark_seen(
            actor=actor, appointment=target, encounter=encounter
        )
        source = closed.follow_up_of
        if source is not None and not source.follow_up_done:
            # Another clinician's follow-up: its author closes it.
            with suppress(PermissionDenied):
                follow_up_close(actor=actor, encounter=source)
    _book_follow_up(encounter, actor)


@receiver(encounter_updated)
def on_encounter_updated(sender, encounter, actor, changed=(), **kwargs) -> None:
    if "follow_up_on" not in changed or encounter.person_id is None:
        return
    booked = Appointment.objects.filter(follow_up_of=encounter, status=Status.PLANNED).first()
    if booked is None:
        _book_follow_up(encounter, actor)
        return
    now = timezone.now()
    if encounter.follow_up_on is None:
        data = {"status": Status.CANCELLED}
    else:
        clock = timezone.localtime(booked.starts_at).time()
        starts_at = timezone.make_aware(datetime.combine(encounter.follow_up_on, clock))
        if starts_at < now:
            starts_at = _follow_up_start(encounter.follow_up_on, now)
        if starts_at is None:
            return
        data = {"starts_at": starts_at}
    try:
        services.appointment_update(
            actor=actor, appointment_id=booked.pk, version=booked.version, data=data, now=now
        )
    except (PermissionDenied, ValidationError) as error:
        log.info("follow-up appointment %s not moved: %s", booked.pk, error)


@receiver(person_merged)
def move_appointments(sender, source, target, **kwargs) -> dict[str, list[int]]:
    moved = list(Appointment.objects.filter(person=source).values_list("pk", flat=True))
    Appointment.objects.filter(pk__in=moved).update(person=target)
    return {"appointments": moved}


@receiver(person_unmerged)
def restore_appointments(sender, source, target, moved, **kwargs) -> None:
    Appointment.objects.filter(pk__in=moved.get("appointments", [])).update(person=source)
