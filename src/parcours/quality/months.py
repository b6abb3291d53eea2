"""Calendar months as the data-quality pages and command read them
("2026-10"), with their bounds in local time (an encounter at 23:30 on the
last day of the month, Paris time, belongs to that month)."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @property
    def code(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date.fromordinal(self.next().first_day.toordinal() - 1)

    def next(self) -> "Month":
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> "Month":
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def bounds(self) -> tuple[datetime, datetime]:
        """Start (included) and end (excluded) as aware datetimes, local time."""
        zone = timezone.get_current_timezone()
        start = timezone.make_aware(datetime.combine(self.first_day, time.min), zone)
        end = timezone.make_aware(datetime.combine(self.next().first_day, time.min), zone)
        return start, end

    def __str__(self) -> str:
        return self.code


def parse_month(text) -> Month | None:
    """ "YYYY-MM" between 1900 and 2199, or None."""
    found = _MONTH.match(str(text or "").strip())
    if not found:
        return None
    year, month = int(found[1]), int(found[2])
    if not (1900 <= year <= 2199 and 1 <= month <= 12):
        return None
    return Month(year, month)


def month_of(day: date) -> Month:
    return Month(day.year, day.month)


def last_month() -> Month:
    return month_of(timezone.localdate()).previous()
