"""Structured encounter details as (label, value) pairs for display."""

from django.db import models
from django.utils.translation import gettext as _

from parcours.care import choices as c
from parcours.care.validation import LIST_FIELDS

_RELATIONS = ["medical", "mental_health", "social", "legal", "sv_incident", "activity_details"]


def _label_list(field_name: str, codes: list[str]) -> str:
    labels = dict(LIST_FIELDS.get(field_name, []))
    return ", ".join(str(labels.get(code, code)) for code in codes)


def _value(row: models.Model, field: models.Field) -> str | None:
    value = getattr(row, field.name)
    if value in (None, "", []):
        return None
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if field.choices:
        return str(getattr(row, f"get_{field.name}_display")())
    if isinstance(value, list):
        return _label_list(field.name, value)
    return str(value)


def details_for_display(encounter) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for relation in _RELATIONS:
        row = getattr(encounter, relation, None) if _has(encounter, relation) else None
        if row is None:
            continue
        for field in row._meta.concrete_fields:
            if field.name == "encounter":
                continue
            shown = _value(row, field)
            if shown is not None:
                pairs.append((str(field.verbose_name).capitalize(), shown))
    if encounter.discipline == c.Discipline.MEDICAL:
        for diagnosis in encounter.diagnoses.all():
            pairs.append(("ICD-10", f"{diagnosis.icd10} {diagnosis.label}"))
    tallies = list(encounter.tallies.all())
    if tallies:
        total = sum(t.count for t in tallies)
        breakdown = ", ".join(f"{t.sex} {t.age_group}: {t.count}" for t in tallies)
        pairs.append((str(_("People met")), f"{total} ({breakdown})"))
    return pairs


def _has(encounter, relation: str) -> bool:
    try:
        return getattr(encounter, relation) is not None
    except models.ObjectDoesNotExist:
        return False
