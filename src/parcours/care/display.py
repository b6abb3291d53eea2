"""Structured encounter details as (label, value) pairs for display."""

import datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from parcours.care import choices as c
from parcours.care.validation import LIST_FIELDS
from parcours.people.ages import AGE_GROUPS

_RELATIONS = ["medical", "mental_health", "social", "legal", "sv_incident", "activity_details"]


def _label_list(field_name: str, codes: list[str]) -> str:
    labels = dict(LIST_FIELDS.get(field_name, []))
    return ", ".join(str(labels.get(code, code)) for code in codes)


# Ticked-or-not booleans where "no" is worth showing; for the others, an unticked
# box only means nothing was done (shown as absent, not as a "no" on every entry).
_SHOW_FALSE = {"consent_anonymous_reporting"}


def _label(field: models.Field) -> str:
    """The verbose name with a capital first letter, abbreviations kept (STI, PEP, CGI)."""
    name = str(field.verbose_name)
    return name[:1].upper() + name[1:]


def _value(row: models.Model, field: models.Field) -> str | None:
    value = getattr(row, field.name)
    if value in (None, "", []):
        return None
    if isinstance(field, models.BooleanField):
        if value is False and not field.null and field.name not in _SHOW_FALSE:
            return None
        return _("yes") if value else _("no")
    if field.choices:
        return str(getattr(row, f"get_{field.name}_display")())
    if isinstance(value, list):
        return _label_list(field.name, value)
    # In the interface language: 38,6 and 29/11/2026 in French, 38.6 and 29/11/2026 in English.
    if isinstance(value, Decimal | float):
        return number_format(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def details_for_display(encounter) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for relation in _RELATIONS:
        row = getattr(encounter, relation, None) if _has(encounter, relation) else None
        if row is None:
            continue
        for field in row._meta.concrete_fields:
            if field.name == "encounter" or not field.editable:
                continue  # the link, the row key of encrypted values
            shown = _value(row, field)
            if shown is not None:
                pairs.append((_label(field), shown))
    if encounter.discipline == c.Discipline.MEDICAL:
        for diagnosis in encounter.diagnoses.all():
            pairs.append((_("ICD-10"), f"{diagnosis.icd10} {diagnosis.label}"))
    tallies = list(encounter.tallies.all())
    if tallies:
        total = sum(t.count for t in tallies)
        sexes = dict(c.TALLY_SEXES)
        groups = {code: label for code, label, *_rest in AGE_GROUPS}
        breakdown = ", ".join(
            f"{sexes.get(t.sex, t.sex)} {groups.get(t.age_group, t.age_group)}: {t.count}"
            for t in tallies
        )
        pairs.append((str(_("People met")), f"{total} ({breakdown})"))
    return pairs


def _has(encounter, relation: str) -> bool:
    try:
        return getattr(encounter, relation) is not None
    except models.ObjectDoesNotExist:
        return False
