"""Audit events of a person, in words a coordinator reads: labels, not codes."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from parcours.people.models import DatePrecision, ExitReason, Flag, MinorityAppeal, Sex
from parcours.people.validation import language_name

EVENT_LABELS = {
    "person.create": gettext_lazy("Registered"),
    "person.update": gettext_lazy("Edited"),
    "person.exit": gettext_lazy("Left the active list"),
    "person.reactivate": gettext_lazy("Back on the active list"),
    "person.enrol": gettext_lazy("Followed in one more project"),
    "person.merge": gettext_lazy("A duplicate was merged into this record"),
    "person.merged_into": gettext_lazy("Merged into another record"),
    "person.unmerge": gettext_lazy("Merge undone"),
    "person.unmerged": gettext_lazy("Merge undone: record restored"),
    "consent.record": gettext_lazy("Consent recorded"),
    "care.assign": gettext_lazy("Assigned to the care team"),
    "care.unassign": gettext_lazy("Care-team assignment ended"),
    "break_glass.open": gettext_lazy("Opened by break-glass"),
    "break_glass.review": gettext_lazy("Break-glass opening reviewed"),
}
_CHOICES = {
    "sex": Sex,
    "birth_date_precision": DatePrecision,
    "minority_appeal": MinorityAppeal,
    "exit_reason": ExitReason,
}


def event_label(event: str) -> str:
    return str(EVENT_LABELS.get(event, event))


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
