"""Checks on an appointment's data, shared by the form, the API and the services."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from parcours.agenda.models import APPOINTMENT_DISCIPLINES, Status

MIN_DURATION, MAX_DURATION = 5, 8 * 60
REASON_MAX = 255
# A booking typed a few minutes after its time is still "planned" (walk-ins).
PAST_GRACE = timedelta(minutes=15)


def check_discipline(discipline: str) -> None:
    if discipline not in APPOINTMENT_DISCIPLINES:
        raise ValidationError(
            {
                "discipline": [
                    _(
                        "Appointments are booked for medical, mental-health, social or "
                        "legal consultations only."
                    )
                ]
            }
        )


def past_and_planned(starts_at: datetime, *, now: datetime | None = None) -> bool:
    return starts_at < (now or timezone.now()) - PAST_GRACE


def past_planned_message(starts_at: datetime) -> str:
    return _(
        "This appointment is in the past (%(when)s): it cannot be “planned”. Choose a later "
        "date and time, or mark it as missed or cancelled."
    ) % {"when": date_format(timezone.localtime(starts_at), "SHORT_DATETIME_FORMAT")}


def clean_appointment(data: dict, *, status: str, check_past: bool, now=None) -> dict:
    """The slot's fields cleaned (starts_at aware, reason stripped), or a
    ValidationError naming every bad field. ``check_past``: refuse a planned
    appointment in the past (on creation, or when its time or status changes)."""
    errors: dict[str, list[str]] = {}
    cleaned = dict(data)
    starts_at = cleaned.get("starts_at")
    if not isinstance(starts_at, datetime):
        errors["starts_at"] = [_("Enter the date and time of the appointment.")]
    else:
        if timezone.is_naive(starts_at):
            starts_at = timezone.make_aware(starts_at)
            cleaned["starts_at"] = starts_at
        if check_past and status == Status.PLANNED and past_and_planned(starts_at, now=now):
            errors["starts_at"] = [past_planned_message(starts_at)]
    duration = cleaned.get("duration_minutes", 30)
    if (
        not isinstance(duration, int)
        or isinstance(duration, bool)
        or not MIN_DURATION <= duration <= MAX_DURATION
    ):
        errors["duration_minutes"] = [
            _("The duration is between %(min)d minutes and %(hours)d hours.")
            % {"min": MIN_DURATION, "hours": MAX_DURATION // 60}
        ]
    cleaned["duration_minutes"] = duration
    reason = (cleaned.get("reason") or "").strip()
    if len(reason) > REASON_MAX:
        errors["reason"] = [_("At most %(n)d characters.") % {"n": REASON_MAX}]
    cleaned["reason"] = reason
    if errors:
        raise ValidationError(errors)
    return cleaned
