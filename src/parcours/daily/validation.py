"""Checks on a daily report, shared by the page and the services."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from parcours.daily.models import NOTE_FIELDS, NOTE_MAX_LENGTH


def clean_notes(data: dict) -> dict:
    """The team notes, stripped, each at most NOTE_MAX_LENGTH characters."""
    cleaned, errors = {}, {}
    for name in NOTE_FIELDS:
        value = str(data.get(name) or "").strip()
        if len(value) > NOTE_MAX_LENGTH:
            errors[name] = [
                _("At most %(n)d characters: keep the details for the records.")
                % {"n": NOTE_MAX_LENGTH}
            ]
        cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def check_day(day: date, today: date) -> None:
    """A report is written on or after its day, never before."""
    if day > today:
        raise ValidationError(_("A day still to come has no report yet."))
