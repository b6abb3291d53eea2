"""Checks on person data shared by the forms, the API and the imports."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_countries import countries

from parcours.lib.languages import language_name
from parcours.people.models import DatePrecision, ExitReason, Flag, MinorityAppeal, Sex

OLDEST_PLAUSIBLE_AGE = 110


def clean_person_data(data: dict, *, today: date | None = None) -> dict:
    """Normalise and check person data; raise ValidationError with field errors.

    Only the keys present are checked, so a partial update checks only what
    it changes.
    """
    today = today or date.today()
    errors: dict[str, list[str]] = {}
    cleaned = dict(data)

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field, max_length, required in (
        ("given_name", 100, True),
        ("family_name", 100, False),
        ("name_original", 200, False),
        ("phone", 40, False),
        ("contact_notes", 255, False),
    ):
        if field not in cleaned:
            continue
        value = (cleaned[field] or "").strip()
        cleaned[field] = value
        if "\x00" in value:
            error(field, _("This text contains an invalid character."))
        if required and not value:
            error(field, _("This name cannot be empty."))
        if len(value) > max_length:
            error(field, _("At most %(n)d characters.") % {"n": max_length})

    choice_fields = {
        "sex": Sex,
        "birth_date_precision": DatePrecision,
        "minority_appeal": MinorityAppeal,
        "exit_reason": ExitReason,
    }
    for field, choices in choice_fields.items():
        if field in cleaned and cleaned[field] is not None and cleaned[field] not in choices.values:
            error(field, _("Unknown value “%(value)s”.") % {"value": cleaned[field]})

    birth_date = cleaned.get("birth_date")
    if birth_date is not None:
        if not isinstance(birth_date, date):
            error("birth_date", _("Enter a valid date."))
        elif birth_date > today:
            error("birth_date", _("The date of birth cannot be in the future."))
        elif today.year - birth_date.year > OLDEST_PLAUSIBLE_AGE:
            error("birth_date", _("This date of birth is more than 110 years ago."))

    assessed_age = cleaned.get("assessed_age")
    if assessed_age is not None and not 0 <= int(assessed_age) <= OLDEST_PLAUSIBLE_AGE:
        error("assessed_age", _("Enter an age between 0 and 110."))
    assessed_on = cleaned.get("assessed_on")
    if isinstance(assessed_on, date) and assessed_on > today:
        error("assessed_on", _("The assessment date cannot be in the future."))

    nationality = cleaned.get("nationality")
    if nationality:
        nationality = str(nationality).upper()
        cleaned["nationality"] = nationality
        if nationality not in dict(countries):
            error(
                "nationality",
                _("Unknown country code “%(code)s” (ISO 3166).") % {"code": nationality},
            )

    if "languages" in cleaned:
        languages = [str(code).strip().lower() for code in cleaned["languages"] or [] if code]
        for code in languages:
            if language_name(code) is None:
                error(
                    "languages", _("Unknown language code “%(code)s” (ISO 639).") % {"code": code}
                )
        cleaned["languages"] = list(dict.fromkeys(languages))

    if "flags" in cleaned:
        flags = list(dict.fromkeys(cleaned["flags"] or []))
        for flag in flags:
            if flag not in Flag.values:
                error("flags", _("Unknown vulnerability flag “%(flag)s”.") % {"flag": flag})
        cleaned["flags"] = flags

    if "aliases" in cleaned:
        aliases = [a.strip() for a in cleaned["aliases"] or [] if a and a.strip()]
        if any(len(a) > 200 for a in aliases):
            error("aliases", _("An alias has at most 200 characters."))
        cleaned["aliases"] = list(dict.fromkeys(aliases))

    if errors:
        raise ValidationError(errors)
    return cleaned
