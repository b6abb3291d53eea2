"""Days read from a URL or a form: a date the calendar arithmetic of a page
can work with, or nothing (never an OverflowError near year 1 or 9999)."""

from datetime import date

# Far beyond any record; far enough from date.min and date.max that adding a
# week or a month never overflows.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


def parse_day(value) -> date | None:
    """An ISO date (yyyy-mm-dd) between 1900 and 2199, or None."""
    try:
        day = date.fromisoformat(str(value or ""))
    except ValueError:
        return None
    return day if EARLIEST <= day <= LATEST else None
