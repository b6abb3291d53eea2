"""Audit events of a person, in words a coordinator reads: labels, not codes.

The event labels live with the names, in ``parcours.audit.events``. Changes
are shown only as far as the reader may see the values: contact details to
who sees them, vulnerability flags of the categories the reader sees."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_countries import countries

from parcours.access.records import visible_flags
from parcours.access.scope import may_on_person
from parcours.access.terms import Action, Category
from parcours.lib.languages import language_name
from parcours.people.models import (
    CONTACT_FIELDS,
    DatePrecision,
    ExitReason,
    Flag,
    MinorityAppeal,
    Sex,
)

_DATE_FIELDS = {"birth_date", "assessed_on", "exit_date"}

_CHOICES = {
    "sex": Sex,
    "birth_date_precision": DatePrecision,
    "minority_appeal": MinorityAppeal,
    "exit_reason": ExitReason,
}


def display_value(field: str, value) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field in _CHOICES:
        return str(dict(_CHOICES[field].choices).get(value, value))
    if field == "nationality":
        return str(dict(countries).get(value, value))
    if field == "languages":
        return ", ".join(language_name(code) or code for code in value)
    if field == "flags":
        labels = dict(Flag.choices)
        return ", ".join(str(labels.get(code, code)) for code in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if field in _DATE_FIELDS and isinstance(value, str):
        # Stored as yyyy-mm-dd in the audit row; shown as the interface language writes dates.
        try:
            return date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    return str(value)


def redact_changes(user, person, changes: dict) -> dict:
    """``{field: (before, after)}`` as ``user`` may see it: contact fields
    dropped unless they see contact details; flags narrowed to those they
    see, and the change dropped when nothing visible changed."""
    shown_flags = set(visible_flags(user, person, flags=Flag.values))
    contact = may_on_person(user, Action.VIEW, Category.CONTACT, person)
    redacted = {}
    for field, (before, after) in changes.items():
        if field in CONTACT_FIELDS and not contact:
            continue
        if field == "flags":
            before = [f for f in before or [] if f in shown_flags]
            after = [f for f in after or [] if f in shown_flags]
            if before == after:
                continue
        redacted[field] = (before, after)
    return redacted
