"""Checks on the items of the clinical summary, shared by the pages, the API
and the encounters that keep it current. Each ``clean_<kind>`` takes the
item's whole data (the stored values with the changes over them) and returns
it cleaned, or raises a ValidationError naming every bad field at once."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.care.icd10 import icd10_label
from parcours.care.models import PregnancyStatus, Severity

# kind -> the fields a client may send (the others are derived or stored).
FIELDS = {
    "allergy": ("substance", "reaction", "severity", "ended_on"),
    "condition": ("icd10", "since", "note", "resolved_on"),
    "treatment": ("name", "dose", "since", "until"),
    "vaccination": ("vaccine", "given_on", "note"),
    "pregnancy": ("status", "due_date"),
}
KINDS = tuple(FIELDS)
LIST_KINDS = ("allergy", "condition", "treatment", "vaccination")
# The date field that ends an item, per kind (vaccinations do not end).
END_FIELD = {"allergy": "ended_on", "condition": "resolved_on", "treatment": "until"}
# A pregnancy lasts at most about 42 weeks: a due date further is a typing error.
LONGEST_PREGNANCY = timedelta(weeks=44)


def _text(data, errors, field, limit, *, required=False, missing="") -> str:
    value = str(data.get(field) or "").strip()
    if required and not value:
        errors[field] = [missing]
    elif len(value) > limit:
        errors[field] = [_("At most %(n)d characters.") % {"n": limit}]
    return value


def _date(data, errors, field, *, required=False, missing="", past=True):
    value = data.get(field)
    if value in (None, ""):
        if required:
            errors[field] = [missing]
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            errors[field] = [_("Enter a valid date.")]
            return None
    if not isinstance(value, date):
        errors[field] = [_("Enter a valid date.")]
        return None
    if past and value > timezone.localdate():
        errors[field] = [_("This date cannot be in the future.")]
    return value


def _unknown(data: dict, kind: str, errors: dict) -> None:
    for field in data:
        if field not in FIELDS[kind]:
            errors[field] = [_("Not a field of this kind of item.")]


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def clean_allergy(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    _unknown(data, "allergy", errors)
    cleaned = {
        "substance": _text(
            data,
            errors,
            "substance",
            120,
            required=True,
            missing=_("Name the substance the person is allergic to."),
        ),
        "reaction": _text(data, errors, "reaction", 255),
        "severity": str(data.get("severity") or ""),
        "ended_on": _date(data, errors, "ended_on"),
    }
    if cleaned["severity"] and cleaned["severity"] not in Severity.values:
        errors["severity"] = [_("Unknown value “%(value)s”.") % {"value": cleaned["severity"]}]
    _raise(errors)
    return cleaned


def clean_condition(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    _unknown(data, "condition", errors)
    code = str(data.get("icd10") or "").strip().upper()
    label = icd10_label(code) if code else None
    if not code:
        errors["icd10"] = [_("Give the ICD-10 code of the condition.")]
    elif label is None:
        errors["icd10"] = [_("Unknown ICD-10 code(s): %(codes)s.") % {"codes": code}]
    cleaned = {
        "icd10": code,
        "label": label or "",
        "since": _date(data, errors, "since"),
        "note": _text(data, errors, "note", 255),
        "resolved_on": _date(data, errors, "resolved_on"),
    }
    since, resolved = cleaned["since"], cleaned["resolved_on"]
    if since and resolved and resolved < since and "resolved_on" not in errors:
        errors["resolved_on"] = [_("The condition cannot be resolved before it started.")]
    _raise(errors)
    return cleaned


def clean_treatment(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    _unknown(data, "treatment", errors)
    cleaned = {
        "name": _text(data, errors, "name", 255, required=True, missing=_("Name the treatment.")),
        "dose": _text(data, errors, "dose", 120),
        # A treatment may be planned to start later; its end may be ahead too.
        "since": _date(
            data,
            errors,
            "since",
            required=True,
            missing=_("Give the date the treatment started."),
            past=False,
        ),
        "until": _date(data, errors, "until", past=False),
    }
    since, until = cleaned["since"], cleaned["until"]
    if since and until and until < since and not {"since", "until"} & errors.keys():
        errors["until"] = [_("The treatment cannot end before it starts.")]
    _raise(errors)
    return cleaned


def clean_vaccination(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    _unknown(data, "vaccination", errors)
    cleaned = {
        "vaccine": _text(
            data, errors, "vaccine", 120, required=True, missing=_("Name the vaccine.")
        ),
        "given_on": _date(
            data, errors, "given_on", required=True, missing=_("Give the date of the vaccination.")
        ),
        "note": _text(data, errors, "note", 255),
    }
    _raise(errors)
    return cleaned


def clean_pregnancy(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    _unknown(data, "pregnancy", errors)
    status = str(data.get("status") or PregnancyStatus.UNKNOWN)
    if status not in PregnancyStatus.values:
        errors["status"] = [_("Unknown value “%(value)s”.") % {"value": status}]
    due = _date(data, errors, "due_date", past=False)
    if due is not None and "due_date" not in errors:
        today = timezone.localdate()
        if status != PregnancyStatus.PREGNANT:
            errors["due_date"] = [_("A due date is given but the person is not pregnant.")]
        elif due > today + LONGEST_PREGNANCY:
            errors["due_date"] = [_("This due date is more than 44 weeks away.")]
    _raise(errors)
    return {"status": status, "due_date": due}


CLEANERS = {
    "allergy": clean_allergy,
    "condition": clean_condition,
    "treatment": clean_treatment,
    "vaccination": clean_vaccination,
    "pregnancy": clean_pregnancy,
}


def due_date_from(as_of: date, gestational_age_weeks: int) -> date:
    """The estimated due date: 40 weeks of gestation."""
    return as_of + timedelta(weeks=40 - gestational_age_weeks)
