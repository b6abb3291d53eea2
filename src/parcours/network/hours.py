"""Opening hours, structured per weekday: {"mon": [["09:00", "12:00"],
["14:00", "17:30"]], …}. Several ranges a day; a range ending before it
starts is refused (a night shelter open 19:00–08:00 is two ranges: 19:00–24:00
one day, 00:00–08:00 the next). Written for people as "09:00-12:00, 14:00-17:30"."""

import re
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from parcours.network.choices import WEEKDAY_LABELS, WEEKDAYS

_TIME = re.compile(r"^([01]?\d|2[0-4])[:hH.]?([0-5]\d)?$")


def _minutes(text: str) -> int | None:
    match = _TIME.match(text.strip())
    if match is None:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours == 24 and minutes:
        return None
    return hours * 60 + minutes


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_day(text: str, day: str) -> list[list[str]]:
    """ "09:00-12:00, 14:00-17:30" → [["09:00", "12:00"], ["14:00", "17:30"]];
    ValidationError naming the day when a range is unreadable or ends before
    it starts."""
    ranges = []
    label = WEEKDAY_LABELS[day]
    for part in re.split(r"[,;/]", text or ""):
        part = part.strip()
        if not part:
            continue
        pieces = re.split(r"\s*[-–à]\s*", part)
        if len(pieces) != 2:
            raise ValidationError(
                _("%(day)s: write each range as 09:00-12:00 (“%(text)s”).")
                % {"day": label, "text": part}
            )
        start, end = _minutes(pieces[0]), _minutes(pieces[1])
        if start is None or end is None:
            raise ValidationError(
                _("%(day)s: unreadable time in “%(text)s” (use 09:00-12:00).")
                % {"day": label, "text": part}
            )
        if end <= start:
            raise ValidationError(
                _("%(day)s: the range “%(text)s” ends before it starts.")
                % {"day": label, "text": part}
            )
        ranges.append((start, end))
    ranges.sort()
    for (_s1, e1), (s2, _e2) in zip(ranges, ranges[1:], strict=False):
        if s2 < e1:
            raise ValidationError(_("%(day)s: two ranges overlap.") % {"day": label})
    return [[_hhmm(s), _hhmm(e)] for s, e in ranges]


def clean_hours(value) -> dict[str, list[list[str]]]:
    """Opening hours from a dict of weekday → text or list of [start, end]
    (a form, a CSV row, a GeoJSON feature, the API); errors keyed by weekday."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise ValidationError({"opening_hours": [_("Opening hours are given per weekday.")]})
    unknown = set(value) - set(WEEKDAYS)
    if unknown:
        raise ValidationError(
            {
                "opening_hours": [
                    _("Unknown weekday: %(days)s.") % {"days": ", ".join(sorted(unknown))}
                ]
            }
        )
    hours, errors = {}, {}
    for day in WEEKDAYS:
        given = value.get(day)
        if not given:
            continue
        if isinstance(given, list):
            try:
                given = ", ".join(f"{start}-{end}" for start, end in given)
            except (TypeError, ValueError):
                errors[f"hours_{day}"] = [_("Each range is a pair [start, end].")]
                continue
        try:
            ranges = parse_day(str(given), day)
        except ValidationError as error:
            errors[f"hours_{day}"] = error.messages
            continue
        if ranges:
            hours[day] = ranges
    if errors:
        raise ValidationError(errors)
    return hours


def day_text(hours: dict, day: str) -> str:
    return ", ".join(f"{start}-{end}" for start, end in hours.get(day, []))


def is_open_at(hours: dict, moment: datetime) -> bool:
    """Open at this local moment? (No hours recorded: unknown, taken as open.)"""
    if not hours:
        return True
    day = WEEKDAYS[moment.weekday()]
    now = moment.hour * 60 + moment.minute
    return any(_minutes(start) <= now < _minutes(end) for start, end in hours.get(day, []))
