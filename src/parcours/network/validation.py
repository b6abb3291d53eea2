"""Checks of a directory entry, the same for the form, the CSV and GeoJSON
imports: field errors in the user's language, nothing saved on any error."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.lib.dates import parse_day
from parcours.lib.languages import language_name
from parcours.network.choices import Eligibility, ServiceType
from parcours.network.hours import clean_hours

TEXT_LIMITS = {
    "name": 160,
    "address": 255,
    "city": 80,
    "phone": 40,
    "contact": 160,
    "notes": 4000,
    "email": 254,
    "website": 200,
}
FIELDS = (
    "name",
    "type",
    "address",
    "city",
    "latitude",
    "longitude",
    "opening_hours",
    "languages",
    "eligibility",
    "phone",
    "email",
    "website",
    "contact",
    "notes",
    "last_verified_on",
)


def _split(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).replace(";", ",").split(",") if v.strip()]


def _coordinate(value, low: int, high: int, field: str, errors: dict):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        errors[field] = [_("Write a number, e.g. 50.95123.")]
        return None
    if not number.is_finite() or not low <= number <= high:
        errors[field] = [_("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}]
        return None
    return number.quantize(Decimal("0.00001"))


def clean_service(data: dict, *, today: date | None = None) -> dict:
    """The entry's values from ``data`` (strings or typed values), or a
    ValidationError keyed by field (opening hours by ``hours_<day>``)."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    out: dict = {}
    for field, limit in TEXT_LIMITS.items():
        value = str(data.get(field) or "").strip()
        if len(value) > limit:
            errors[field] = [_("At most %(n)d characters.") % {"n": limit}]
        out[field] = value
    if not out["name"]:
        errors["name"] = [_("Give the service's name.")]
    kind = str(data.get("type") or "").strip()
    if kind not in ServiceType.values:
        errors["type"] = [_("Unknown type “%(value)s”.") % {"value": kind}]
    out["type"] = kind
    if out["email"]:
        try:
            EmailValidator()(out["email"])
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    if out["website"]:
        try:
            URLValidator(schemes=["http", "https"])(out["website"])
        except ValidationError:
            errors["website"] = [_("Enter a web address starting with https://.")]
    out["latitude"] = _coordinate(data.get("latitude"), -90, 90, "latitude", errors)
    out["longitude"] = _coordinate(data.get("longitude"), -180, 180, "longitude", errors)
    if (out["latitude"] is None) != (out["longitude"] is None) and not (
        {"latitude", "longitude"} & set(errors)
    ):
        errors["longitude"] = [_("Give both the latitude and the longitude, or neither.")]
    try:
        out["opening_hours"] = clean_hours(data.get("opening_hours"))
    except ValidationError as error:
        errors.update(error.message_dict)
    languages = [code.lower() for code in _split(data.get("languages"))]
    unknown = [code for code in languages if language_name(code) is None]
    if unknown:
        errors["languages"] = [
            _("Unknown language code: %(codes)s (ISO 639, e.g. ar, ti, ps).")
            % {"codes": ", ".join(unknown)}
        ]
    out["languages"] = list(dict.fromkeys(languages))
    eligibility = _split(data.get("eligibility")) or [Eligibility.EVERYONE.value]
    wrong = [e for e in eligibility if e not in Eligibility.values]
    if wrong:
        errors["eligibility"] = [
            _("Unknown eligibility: %(values)s (everyone, minors, women, families).")
            % {"values": ", ".join(wrong)}
        ]
    elif Eligibility.EVERYONE in eligibility and len(eligibility) > 1:
        errors["eligibility"] = [_("“Everyone” goes alone.")]
    out["eligibility"] = list(dict.fromkeys(eligibility))
    verified = data.get("last_verified_on")
    if isinstance(verified, date):
        out["last_verified_on"] = verified
    elif verified in (None, ""):
        out["last_verified_on"] = None
    else:
        out["last_verified_on"] = parse_day(str(verified).strip())
        if out["last_verified_on"] is None:
            errors["last_verified_on"] = [_("Write the date as YYYY-MM-DD.")]
    if out["last_verified_on"] and out["last_verified_on"] > today:
        errors["last_verified_on"] = [_("A verification cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    return out
