"""Calendar months of the stock figures, and the AMC formula (docs/stock.md):
one place for both the live figures and the recorded months."""

import calendar
from datetime import date, datetime, time

from django.utils import timezone

AMC_MONTHS = 3


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def complete_months(today: date, count: int = AMC_MONTHS) -> list[tuple[date, date]]:
    """The last ``count`` complete calendar months before ``today``: (first day,
    first day of the next month), oldest first."""
    first = today.replace(day=1)
    return [(add_months(first, -n), add_months(first, -n + 1)) for n in range(count, 0, -1)]


def aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def adjusted_amc(months) -> float | None:
    """Average monthly consumption of ``months``, each (consumed, days in the
    month, days out of stock): a month's consumption is adjusted for its days
    out of stock (× days ÷ days with stock), a month with less than half a
    day in stock is left out (it says nothing of the need); None when every
    month was left out."""
    adjusted = []
    for used, length, out in months:
        with_stock = length - out
        if with_stock < 0.5:
            continue
        adjusted.append(used * length / with_stock)
    return sum(adjusted) / len(adjusted) if adjusted else None
