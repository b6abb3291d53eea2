"""Figures of past, complete months kept between requests.

The figures of a month that is over change only when a record counted in
that month is written; every such write gives the project-month a fresh
token (``MonthStamp``, written by ``meal/invalidation.py``). The counting
layer (``meal/counting.py``) asks here before it counts: a side (fact,
measure, filters) of one project, for one past month (quarter, year) and
one set of dimensions, is read from ``KeptCount`` when the tokens of its
months are still those it was counted under, and counted and kept
otherwise. The current month is always counted live.

What is kept is the cells of one side — dimension codes and numbers (the
value and the number of persons behind it) — never a person. Every access
decision (who may count what, exact or suppressed figures, small cells) is
taken above, in the engine, on every read: a kept cell is the same input
the live count would have given.

Tokens are read before counting: a write that lands while a figure is being
counted leaves it under the old tokens, so it is not read again. A write
must give the fresh token in its own transaction (the signals do), never
before it.

``parcours.meal.warming.warm(project, months)`` counts and keeps the
figures of a project's dashboards for past months (for a periodic job).
"""

import contextvars
import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import DatabaseError, transaction
from django.utils import timezone

from parcours.meal.models import KeptCount, MonthStamp

# Change when what a kept cell means changes (the counting code): every kept
# figure is then counted again.
FORMAT = 1

_ENABLED: contextvars.ContextVar = contextvars.ContextVar("meal_cache", default=True)


@contextmanager
def disabled():
    """Count everything live (the benchmark's and the tests' comparisons)."""
    token = _ENABLED.set(False)
    try:
        yield
    finally:
        _ENABLED.reset(token)


def this_month() -> date:
    """The first day of the current local month: from here on, counted live."""
    return timezone.localdate().replace(day=1)


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def _month_start(moment: datetime) -> date | None:
    """The local date when ``moment`` is a local midnight on a 1st, else None."""
    local = _local(moment)
    if local.day == 1 and (local.hour, local.minute, local.second, local.microsecond) == (
        0,
        0,
        0,
        0,
    ):
        return local.date()
    return None


def _add_months(day: date, count: int) -> date:
    index = day.year * 12 + day.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def _code(day: date, kind: str) -> str:
    if kind == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if kind == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year:04d}"


@dataclass(frozen=True)
class Unit:
    """One kept piece of a window: a period of the trend, or the whole window."""

    start: date  # first day of its first month
    end: date  # first day of the month after it
    code: str | None  # the trend's period code (None: the window's only cells)

    @property
    def months(self) -> list[date]:
        out, day = [], self.start
        while day < self.end:
            out.append(day)
            day = _add_months(day, 1)
        return out


def _units(window, trend_kind) -> list[Unit] | None:
    """The window cut in kept pieces; None when it is not made of whole months."""
    first, after = _month_start(window[0]), _month_start(window[1])
    if first is None or after is None or after <= first:
        return None
    if trend_kind is None:
        return [Unit(first, after, None)]
    step = {"month": 1, "quarter": 3, "year": 12}[trend_kind]
    units, day = [], first
    while day < after:
        # A trend window starts on a period's first day; a piece never spans two.
        end = min(_add_months(day, step - (day.month - 1) % step), after)
        units.append(Unit(day, end, _code(day, trend_kind)))
        day = end
    return units


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    return (
        timezone.make_aware(datetime.combine(start, datetime.min.time()), tz),
        timezone.make_aware(datetime.combine(end, datetime.min.time()), tz),
    )


def _digest(tokens: dict, unit: Unit) -> str:
    text = "|".join(f"{m.isoformat()}={tokens.get(m, '')}" for m in unit.months)
    return hashlib.sha256(text.encode()).hexdigest()


def _key(side_id: str, project_id: int, unit: Unit, dims, trend_kind) -> str:
    text = json.dumps(
        [FORMAT, side_id, project_id, unit.start.isoformat(), unit.end.isoformat()]
        + [list(dims), trend_kind],
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _encode(cells: dict) -> list:
    out = []
    for key, (value, persons) in cells.items():
        if isinstance(value, Decimal):
            value = {"d": str(value)}
        out.append([list(key), value, persons])
    return out


def _decode(rows: list) -> dict:
    cells = {}
    for key, value, persons in rows:
        if isinstance(value, dict):
            value = Decimal(value["d"])
        cells[tuple(key)] = [value, persons]
    return cells


def count(
    counter, fact, sides, side_ids, project_ids, window, dims, trend_kind, tokens_read=None
) -> list[dict]:
    """``counter(fact, sides, project_ids, window, dims, trend_kind)`` (one
    query per part for all ``sides``), with the pieces of past months read
    from the kept figures. ``side_ids`` name the sides (stable text);
    ``tokens_read`` ({project id: tokens}) is shared by the counts of one
    batch, so that the tokens are read once, before the first count."""
    units = _units(window, trend_kind) if _ENABLED.get() and len(project_ids) == 1 else None
    live_from = this_month()
    kept_units = [u for u in units or () if u.end <= live_from]
    if not kept_units:
        return counter(fact, sides, project_ids, window, dims, trend_kind)
    project_id = next(iter(project_ids))
    # Tokens first: a write landing while counting leaves the figure stale-marked.
    tokens_read = {} if tokens_read is None else tokens_read
    if project_id not in tokens_read:
        tokens_read[project_id] = dict(
            MonthStamp.objects.filter(project_id=project_id).values_list("month", "token")
        )
    tokens = tokens_read[project_id]
    digests = {u: _digest(tokens, u) for u in kept_units}
    keys = {
        (i, u): _key(side_id, project_id, u, dims, trend_kind)
        for i, side_id in enumerate(side_ids)
        for u in kept_units
    }
    rows = KeptCount.objects.filter(key__in=list(keys.values())).values_list(
        "key", "stamps", "cells"
    )
    stored = {key: (stamps, cells) for key, stamps, cells in rows}
    found = {}
    for (i, u), key in keys.items():
        if key in stored and stored[key][0] == digests[u]:
            found[(i, u)] = stored[key][1]
    missing = [u for u in units if any((i, u) not in found for i in range(len(sides)))]
    results = [{} for _side in sides]
    counted_units = set()
    if missing:
        # One count over the span of what is missing (kept pieces in between
        # are counted again rather than cutting the query in two).
        span = _bounds(missing[0].start, missing[-1].end)
        counted = counter(fact, sides, project_ids, span, dims, trend_kind)
        counted_units = {u for u in units if missing[0].start <= u.start < missing[-1].end}
        for i, cells in enumerate(counted):
            results[i].update(cells)
        _keep(counted, counted_units & set(kept_units), keys, digests, project_id)
    for (i, u), rows_ in found.items():
        if u not in counted_units:
            results[i].update(_decode(rows_))
    return results


def _cells_of(cells: dict, unit: Unit) -> dict:
    if unit.code is None:
        return cells
    return {key: value for key, value in cells.items() if key[0] == unit.code}


def _keep(counted, units, keys, digests, project_id) -> None:
    rows = [
        KeptCount(
            key=keys[(i, u)],
            project_id=project_id,
            start=u.start,
            stamps=digests[u],
            cells=_encode(_cells_of(cells, u)),
        )
        for i, cells in enumerate(counted)
        for u in units
    ]
    if not rows:
        return
    try:
        with transaction.atomic():
            KeptCount.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["key"],
                update_fields=["stamps", "cells", "start", "counted_at"],
            )
    except DatabaseError:
        # Keeping is an optimisation: a busy database never fails the read.
        pass


def forget(project_ids=None) -> int:
    """Drop the kept figures (of these projects), e.g. after rows were
    written in bulk without signals (the benchmark generator)."""
    rows = KeptCount.objects.all()
    if project_ids is not None:
        rows = rows.filter(project_id__in=list(project_ids))
    return rows.delete()[0]
