"""Ages and the age groups used to filter and disaggregate."""

from datetime import date

from django.utils.translation import gettext_lazy as _

# (code, label, min age inclusive, max age inclusive or None)
AGE_GROUPS = [
    ("0-4", _("0–4 years"), 0, 4),
    ("5-14", _("5–14 years"), 5, 14),
    ("15-17", _("15–17 years"), 15, 17),
    ("18-24", _("18–24 years"), 18, 24),
    ("25-59", _("25–59 years"), 25, 59),
    ("60+", _("60 years and over"), 60, None),
]
AGE_GROUP_CHOICES = [(code, label) for code, label, _lo, _hi in AGE_GROUPS]


def age_on(birth_date: date | None, on: date) -> int | None:
    if birth_date is None:
        return None
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(before_birthday)


def _years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February in a non-leap year
        return on.replace(year=on.year - years, day=28)


def birth_date_range(group_code: str, on: date) -> tuple[date | None, date]:
    """Birth dates (after, up to and including) of people in an age group on a date.

    Returns (lower_exclusive, upper_inclusive); lower is None for an open group.
    """
    for code, _label, low, high in AGE_GROUPS:
        if code == group_code:
            upper = _years_before(on, low)
            lower = _years_before(on, high + 1) if high is not None else None
            return lower, upper
    raise ValueError(f"unknown age group {group_code!r}")


def age_group(birth_date: date | None, on: date) -> str | None:
    age = age_on(birth_date, on)
    if age is None:
        return None
    for code, _label, low, high in AGE_GROUPS:
        if age >= low and (high is None or age <= high):
            return code
    return None
