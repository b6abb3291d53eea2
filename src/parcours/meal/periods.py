"""Reporting periods: a month, a quarter, a year or any range of days.

A period's edges are dates in the project's time zone (settings.TIME_ZONE,
Europe/Paris): an encounter at 23:30 Paris time on the last day of a month
belongs to that month, whatever UTC says.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

KINDS = ("month", "quarter", "year", "range")
# The longest range accepted (about ten years), so that a typo cannot ask
# for centuries of figures.
MAX_RANGE_DAYS = 3700

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


class PeriodError(ValueError):
    """A period that cannot be read; its message is for people (translated)."""


PERIOD_HELP = gettext_lazy(
    "A period is a month (2026-10), a quarter (2026-Q4), a year (2026) "
    "or a range of days (2026-10-01..2026-12-31)."
)


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    kind: str
    code: str

    # --- constructors ---------------------------------------------------------

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        last = calendar.monthrange(year, month)[1]
        return cls(
            date(year, month, 1), date(year, month, last), "month", f"{year:04d}-{month:02d}"
        )

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        first_month = 3 * (quarter - 1) + 1
        last_month = first_month + 2
        last = calendar.monthrange(year, last_month)[1]
        return cls(
            date(year, first_month, 1),
            date(year, last_month, last),
            "quarter",
            f"{year:04d}-Q{quarter}",
        )

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31), "year", f"{year:04d}")

    @classmethod
    def range(cls, start: date, end: date) -> "Period":
        if end < start:
            raise PeriodError(_("The end of the period is before its start."))
        if (end - start).days > MAX_RANGE_DAYS:
            raise PeriodError(_("A period may not be longer than ten years."))
        return cls(start, end, "range", f"{start.isoformat()}..{end.isoformat()}")

    @classmethod
    def containing(cls, day: date, kind: str = "month") -> "Period":
        if kind == "quarter":
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        if kind == "year":
            return cls.year(day.year)
        return cls.month(day.year, day.month)

    # --- reading --------------------------------------------------------------

    @property
    def label(self) -> str:
        if self.kind == "month":
            return date_format(self.start, "F Y")
        if self.kind == "quarter":
            return _("Q%(quarter)s %(year)s") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.kind == "year":
            return str(self.start.year)
        return _("%(start)s to %(end)s") % {
            "start": date_format(self.start, "SHORT_DATE_FORMAT"),
            "end": date_format(self.end, "SHORT_DATE_FORMAT"),
        }

    @property
    def short_label(self) -> str:
        """A few characters, for the axis of a chart."""
        return _short_label(self.kind, self.start, get_language())

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes at midnight in the project's time zone."""
        tz = timezone.get_default_timezone()
        start = timezone.make_aware(datetime.combine(self.start, time.min), tz)
        end = timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min), tz)
        return start, end

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, start: date | None, end: date | None) -> bool:
        """Does the period meet [start, end] (None: open on that side)?"""
        return (start is None or self.end >= start) and (end is None or self.start <= end)

    # --- moving ---------------------------------------------------------------

    def previous(self, n: int = 1) -> "Period":
        """The period ``n`` steps before this one (of the same kind and length)."""
        if self.kind == "month":
            return Period.month(*_add_months(self.start.year, self.start.month, -n))
        if self.kind == "quarter":
            year, month = _add_months(self.start.year, self.start.month, -3 * n)
            return Period.quarter(year, (month - 1) // 3 + 1)
        if self.kind == "year":
            return Period.year(self.start.year - n)
        shift = timedelta(days=self.days * n)
        return Period(self.start - shift, self.end - shift, "range", "").with_code()

    def with_code(self) -> "Period":
        code = f"{self.start.isoformat()}..{self.end.isoformat()}"
        return Period(self.start, self.end, self.kind, code)

    # --- external formats -----------------------------------------------------

    @property
    def dhis2(self) -> str | None:
        """DHIS2 period id (202610, 2026Q4, 2026); None for a range of days."""
        if self.kind == "month":
            return f"{self.start:%Y%m}"
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return None

    @property
    def iso_interval(self) -> str:
        """ISO 8601 start/duration, as ADX writes periods (2026-10-01/P1M)."""
        duration = {"month": "P1M", "quarter": "P3M", "year": "P1Y"}.get(self.kind)
        return f"{self.start.isoformat()}/{duration or f'P{self.days}D'}"

    def __str__(self) -> str:
        return self.code


def parse_period(text) -> Period:
    """A period from its code; PeriodError (translated message) when unreadable."""
    value = (str(text) if text is not None else "").strip()
    try:
        if match := _MONTH.match(value):
            year, month = int(match[1]), int(match[2])
            if not 1 <= month <= 12:
                raise PeriodError(_("There is no month %(month)s.") % {"month": match[2]})
            return Period.month(year, month)
        if match := _QUARTER.match(value):
            return Period.quarter(int(match[1]), int(match[2]))
        if match := _YEAR.match(value):
            return Period.year(int(match[1]))
        if match := _RANGE.match(value):
            return Period.range(date.fromisoformat(match[1]), date.fromisoformat(match[2]))
    except PeriodError:
        raise
    except ValueError:
        pass
    else:
        if value:
            raise PeriodError(
                _("“%(value)s” is not a period. %(help)s")
                % {"value": value[:40], "help": PERIOD_HELP}
            )
    if not value:
        raise PeriodError(_("Choose a period. %(help)s") % {"help": PERIOD_HELP})
    raise PeriodError(
        _("“%(value)s” is not a period. %(help)s") % {"value": value[:40], "help": PERIOD_HELP}
    )


def trend(period: Period, count: int = 12) -> list[Period]:
    """The ``count`` periods ending with ``period``, oldest first."""
    return [period.previous(n) for n in range(count - 1, -1, -1)]


def current_month(today: date | None = None) -> Period:
    return Period.containing(today or timezone.localdate(), "month")


def last_complete_month(today: date | None = None) -> Period:
    return current_month(today).previous()


@lru_cache(maxsize=1024)
def _short_label(kind: str, start: date, language) -> str:
    # Every trend of a dashboard labels the same twelve periods.
    if kind == "month":
        return date_format(start, "M y")
    if kind == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start:%y}"
    if kind == "year":
        return str(start.year)
    return f"{start:%d/%m}"
