"""Audit events of a person, in words a coordinator reads: labels, not codes.

The event labels live with the names, in ``parcours.audit.events``."""

from django.utils.translation import gettext as _
from django_countries import countries

from parcours.lib.languages import language_name
from parcours.people.models import DatePrecision, ExitReason, Flag, MinorityAppeal, Sex

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
    return str(value)
