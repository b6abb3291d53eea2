"""Checks on custom fields: their definitions, and the values filled in.

Shared by the pages, the API and the XLSForm import, so that a value or a
definition refused in one is refused in all, with the same message.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.utils.translation import gettext as _

from parcours.access.terms import Category
from parcours.care.choices import DISCIPLINE_CATEGORY, Discipline
from parcours.customfields.models import (
    CHOICE_TYPES,
    NUMERIC_TYPES,
    PERSON,
    CustomField,
    FieldType,
)

CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
YES, NO = "yes", "no"
MAX_TEXT = 2000


def targets() -> list[str]:
    return [PERSON, *Discipline.values]


def target_label(target: str) -> str:
    if target == PERSON:
        return _("Person file")
    return str(Discipline(target).label)


def target_category(target: str) -> Category:
    """The category of the form: identity for the person file, the
    discipline's for its encounters (the default of its fields)."""
    if target == PERSON:
        return Category.IDENTITY
    return Category(DISCIPLINE_CATEGORY[Discipline(target)])


def builtin_codes(target: str) -> set[str]:
    """Names of the built-in fields of the form: a custom code may not take one."""
    if target == PERSON:
        models = [apps.get_model("people", "Person")]
    else:
        models = list(apps.get_app_config("care").get_models())
    names = {"custom", "id", "version", "person", "project", "site", "discipline"}
    for model in models:
        for field in model._meta.get_fields():
            names.add(field.name)
            names.add(getattr(field, "attname", field.name))
    return {n.lower() for n in names}


# --- definitions -----------------------------------------------------------------


def check_code(code: str, target: str, *, taken: set[str]) -> str | None:
    if not CODE_RE.match(code or ""):
        return _(
            "“%(code)s”: a code starts with a lowercase letter and has only lowercase "
            "letters, digits and underscores (40 at most)."
        ) % {"code": (code or "")[:60]}
    if code in builtin_codes(target):
        return _(
            "“%(code)s” is the name of a built-in field of this form: choose another code."
        ) % {"code": code}
    if code in taken:
        return _("The code “%(code)s” is already used by another field of this form.") % {
            "code": code
        }
    return None


def check_definition(data: dict, choices: list[dict], *, target: str, others) -> dict:
    """Errors {field name: [messages]} of a field's definition.

    ``data``: code, type, label_fr, label_en, category, min_value, max_value,
    relevant_field (a CustomField of the same form, or None),
    relevant_values; ``others``: the form's other fields."""
    errors: dict[str, list[str]] = {}

    def add(key, message):
        errors.setdefault(key, []).append(message)

    message = check_code(data.get("code", ""), target, taken={f.code for f in others})
    if message:
        add("code", message)
    if data.get("type") not in FieldType.values:
        add("type", _("Choose a type."))
    if not (data.get("label_fr") or "").strip() and not (data.get("label_en") or "").strip():
        add("label_fr", _("Give the field a label in French or in English."))
    if data.get("category") not in {c.value for c in Category}:
        add("category", _("Choose who may see this field (its category)."))
    low, high = data.get("min_value"), data.get("max_value")
    if (low is not None or high is not None) and data.get("type") not in NUMERIC_TYPES:
        add("min_value", _("Only numbers have a minimum and a maximum."))
    if low is not None and high is not None and low > high:
        add("max_value", _("The maximum is smaller than the minimum."))
    if data.get("type") in CHOICE_TYPES:
        codes = [c.get("code", "") for c in choices]
        if not codes:
            add("choices", _("A choice field needs at least one choice."))
        for code in codes:
            if not CODE_RE.match(code) and not re.match(r"^[0-9a-z_]{1,40}$", code or ""):
                add("choices", _("“%(code)s” is not a valid choice code.") % {"code": code[:40]})
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            add(
                "choices",
                _("Duplicate choice codes: %(codes)s.") % {"codes": ", ".join(duplicates)},
            )
        for choice in choices:
            if not (choice.get("label_fr") or choice.get("label_en") or "").strip():
                add("choices", _("Choice “%(code)s” has no label.") % {"code": choice.get("code")})
    relevant = data.get("relevant_field")
    if relevant is not None:
        if relevant.type not in CHOICE_TYPES | {FieldType.YES_NO}:
            add(
                "relevant_field",
                _("A field is shown depending on a yes/no or a choice field only."),
            )
        else:
            allowed = relevant_codes(relevant)
            values = data.get("relevant_values") or []
            if not values or any(v not in allowed for v in values):
                add(
                    "relevant_values",
                    _("Choose the values of “%(field)s” that show this field.")
                    % {"field": relevant.code},
                )
    return errors


def relevant_codes(field: CustomField) -> list[str]:
    if field.type == FieldType.YES_NO:
        return [YES, NO]
    return [c.code for c in field.choices.all()]


# --- values ------------------------------------------------------------------------


class ValueError_(ValueError):
    pass


def _number(field: CustomField, raw):
    if isinstance(raw, bool):
        raise ValueError_(_("“%(field)s” must be a number.") % {"field": field.label})
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValueError_(_("“%(field)s” must be a number.") % {"field": field.label}) from None
    if not value.is_finite():
        raise ValueError_(_("“%(field)s” must be a number.") % {"field": field.label})
    if field.type == FieldType.INTEGER:
        if value != value.to_integral_value():
            raise ValueError_(_("“%(field)s” must be a whole number.") % {"field": field.label})
        value = int(value)
    if field.min_value is not None and value < field.min_value:
        raise ValueError_(
            _("“%(field)s” must be at least %(min)s.")
            % {"field": field.label, "min": _plain(field.min_value)}
        )
    if field.max_value is not None and value > field.max_value:
        raise ValueError_(
            _("“%(field)s” must be at most %(max)s.")
            % {"field": field.label, "max": _plain(field.max_value)}
        )
    if abs(Decimal(value)) >= Decimal(10) ** 13:
        raise ValueError_(_("“%(field)s” is too large.") % {"field": field.label})
    return value


def _plain(value: Decimal) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def _choice_codes(field: CustomField) -> set[str]:
    return {c.code for c in field.choices.all() if not c.retired}


def clean_value(field: CustomField, raw):
    """The typed value of ``raw`` for ``field`` (None when empty), or
    ValueError_ with a message naming the field."""
    if raw is None or raw == "" or raw == []:
        return None
    kind = FieldType(field.type)
    if kind in (FieldType.TEXT, FieldType.LONG_TEXT):
        if not isinstance(raw, str):
            raise ValueError_(_("“%(field)s” must be text.") % {"field": field.label})
        value = raw.strip()
        if kind == FieldType.TEXT and ("\n" in value or len(value) > 200):
            raise ValueError_(
                _("“%(field)s” is one line of 200 characters at most.") % {"field": field.label}
            )
        if len(value) > MAX_TEXT:
            raise ValueError_(_("“%(field)s” is too long.") % {"field": field.label})
        return value or None
    if kind in NUMERIC_TYPES:
        return _number(field, raw)
    if kind == FieldType.DATE:
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(str(raw).strip())
        except ValueError:
            raise ValueError_(
                _("“%(field)s” must be a date (YYYY-MM-DD).") % {"field": field.label}
            ) from None
    if kind == FieldType.YES_NO:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("yes", "true", "1", "on", "oui"):
            return True
        if text in ("no", "false", "0", "non"):
            return False
        raise ValueError_(_("“%(field)s” must be yes or no.") % {"field": field.label})
    allowed = _choice_codes(field)
    if kind == FieldType.SINGLE:
        if not isinstance(raw, str) or raw not in allowed:
            raise ValueError_(
                _("“%(value)s” is not a choice of “%(field)s”.")
                % {"value": str(raw)[:40], "field": field.label}
            )
        return raw
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list | tuple) or not all(isinstance(v, str) for v in raw):
        raise ValueError_(_("“%(field)s” must be a list of choices.") % {"field": field.label})
    unknown = [v for v in raw if v not in allowed]
    if unknown:
        raise ValueError_(
            _("“%(value)s” is not a choice of “%(field)s”.")
            % {"value": unknown[0][:40], "field": field.label}
        )
    return sorted(set(raw)) or None


def is_relevant(field: CustomField, values: dict) -> bool:
    """Is the field asked, given the values by field id of its form?"""
    if field.relevant_field_id is None:
        return True
    value = values.get(field.relevant_field_id)
    if value is None:
        return False
    if isinstance(value, bool):
        value = [YES if value else NO]
    elif not isinstance(value, list):
        value = [value]
    return bool(set(value) & set(field.relevant_values or []))


def clean_values(fields, raw: dict, *, record_created_at=None):
    """(values by field id, errors by code) of the raw values by code.

    Only the given fields are read (those the writer may fill); a field whose
    relevance condition is false is emptied; a required field is asked only
    of records created after it became required (``record_created_at`` None:
    a new record)."""
    values, errors = {}, {}
    for field in fields:
        try:
            values[field.pk] = clean_value(field, raw.get(field.code))
        except ValueError_ as error:
            errors[field.code] = [str(error)]
    by_id = {f.pk: f for f in fields}
    # Conditions on conditions: resolve in definition order, twice is enough
    # for the chains a form has (a condition names an earlier field).
    for _round in range(2):
        for field in fields:
            parent = field.relevant_field_id
            if parent is not None and parent in by_id and not is_relevant(field, values):
                values[field.pk] = None
                errors.pop(field.code, None)
    for field in fields:
        if not field.required or values.get(field.pk) is not None or field.code in errors:
            continue
        if field.relevant_field_id is not None and not is_relevant(field, values):
            continue
        since = field.required_since
        if record_created_at is not None and since is not None and record_created_at < since:
            continue
        errors[field.code] = [_("“%(field)s” is required.") % {"field": field.label}]
    return values, errors
