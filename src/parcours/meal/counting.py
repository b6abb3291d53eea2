"""Counting in the database: the GROUP BY queries of the MEAL engine.

One *side* is one counted quantity (a fact, a measure, filters; a ratio
has two). ``evaluate`` counts one side for a set of projects, a window of
time and a set of dimensions, in one GROUP BY per part of the fact.

Many indicators count the same fact over the same rows with other filters
(MED-CONS, MED-SCAB, MED-NEW… all scan the project's medical encounters of
the month). ``batched`` runs a computation twice: first to record every
side it asks for, without touching the database; then it counts the
recorded sides of one fact, window and dimensions in a single query (one
conditional aggregate per side: ``COUNT(*) FILTER (WHERE …)``) and the
second run reads the counts from there. The first run is the plan, so the
batch counts exactly what the one-by-one computation would.
"""

import contextvars
import json
from contextlib import contextmanager, suppress
from datetime import timedelta
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, F, Sum
from django.utils.translation import gettext as _

from parcours.meal import cache
from parcours.meal.definitions import check_filters, filters_q
from parcours.meal.facts import UNKNOWN, get_fact
from parcours.meal.facts_custom import alias, dimension_field, is_custom
from parcours.meal.sql import LocalPeriodCode

ADDITIVE = ("count", "sum")
RATIO = "ratio"


class EngineError(ValueError):
    """A computation that cannot be made (message for people)."""


# --- one side, one GROUP BY per part -------------------------------------------------


def _one_project(project_ids):
    """The project whose custom fields a computation may name (one project only)."""
    return next(iter(project_ids)) if len(project_ids) == 1 else None


def _side_of(defn, project_ids) -> tuple:
    """(fact, checked filters, measure, path summed) of a side; EngineError
    when it cannot be counted."""
    fact = get_fact(defn.get("fact") or "")
    if fact is None:
        raise EngineError(_("This indicator counts nothing that exists."))
    errors, checked = check_filters(fact, defn.get("filters") or [], _one_project(project_ids))
    if errors:
        raise EngineError(" ".join(errors))
    measure = defn.get("measure") or "count"
    sum_path = fact.field(defn.get("field")).path if measure == "sum" else None
    return fact, checked, measure, sum_path


def _aggregates(part, measure, sum_path, need_persons, suffix="", condition=None):
    """The value (and persons) of one side, filtered by ``condition`` when
    several sides share the query."""
    kw = {"filter": condition} if condition is not None else {}
    if measure == "sum":
        value = Sum(sum_path, **kw)
    elif measure == "persons":
        value = Count(part.person, distinct=True, **kw)
    elif part.weight:
        value = Sum(part.weight, **kw)
    else:
        value = Count("pk", **kw)
    out = {f"v{suffix}": value}
    if need_persons and part.weight:
        out[f"p{suffix}"] = Sum(part.weight, **kw)
    elif need_persons and part.person:
        out[f"p{suffix}"] = Count(part.person, distinct=True, **kw)
    return out


def _key(dimensions, trend_kind, row) -> tuple:
    key = tuple(
        UNKNOWN if row.get(alias(d)) in (None, "") else str(row[alias(d)]) for d in dimensions
    )
    return (row["d__period"], *key) if trend_kind is not None else key


def _custom_dimensions(fact, dimensions, project_ids) -> dict:
    """The custom fields (``custom.<code>``) among the dimensions, resolved."""
    custom = {}
    for d in dimensions:
        if is_custom(d):
            custom[d] = dimension_field(fact, d, _one_project(project_ids))
            if custom[d] is None:
                raise EngineError(_("No custom field %(name)s to disaggregate by.") % {"name": d})
    return custom


def _dimension(part, name: str, window, custom: dict):
    if is_custom(name):
        return custom[name].dimension(part)
    return part.dimension(name, window)


def _count(fact, sides, project_ids, window, dimensions, trend_kind) -> list[dict]:
    """[{cell key: [value, persons]} per side] of ``sides`` (checked filters,
    measure, path summed, persons needed), all of ``fact``."""
    start, end = window
    custom = _custom_dimensions(fact, dimensions, project_ids)
    results = [{} for _side in sides]
    for part in fact.parts:
        qs = part.queryset().filter(
            **{
                f"{part.project}__in": list(project_ids),
                f"{part.date}__gte": start,
                f"{part.date}__lt": end,
            }
        )
        shared = len(sides) > 1
        aggregates, present = {}, {}
        for i, (checked, measure, sum_path, need_persons) in enumerate(sides):
            condition = None
            if checked and not shared:
                qs = qs.filter(filters_q(checked, part.prefix, part=part))
            elif checked:
                condition = filters_q(checked, part.prefix, part=part)
                # A cell exists for a side only where one of its rows does
                # (a plain count is that number already).
                present[i] = f"v{i}" if measure == "count" and not part.weight else f"n{i}"
                if present[i] == f"n{i}":
                    aggregates[f"n{i}"] = Count("pk", filter=condition)
            aggregates.update(_aggregates(part, measure, sum_path, need_persons, str(i), condition))
        names = [alias(d) for d in dimensions]
        annotations = {alias(d): _dimension(part, d, window, custom) for d in dimensions}
        if trend_kind is not None:
            annotations["d__period"] = LocalPeriodCode(F(part.date), trend_kind, window)
            names.append("d__period")
        qs = qs.order_by()
        if names:
            rows = qs.annotate(**annotations).values(*names).annotate(**aggregates)
        else:
            rows, present = [qs.aggregate(**aggregates)], {}
        for row in rows:
            key = _key(dimensions, trend_kind, row)
            for i, cells in enumerate(results):
                if i in present and not row[present[i]]:
                    continue
                cell = cells.setdefault(key, [0, 0])
                cell[0] += row[f"v{i}"] or 0
                cell[1] += row.get(f"p{i}") or 0
    return results


# --- batches ----------------------------------------------------------------------------

_BATCH: contextvars.ContextVar = contextvars.ContextVar("meal_batch", default=None)


def _request_key(defn, project_ids, window, dimensions, trend_kind) -> tuple:
    side = {k: defn.get(k) for k in ("fact", "measure", "field", "filters")}
    return (
        json.dumps(side, sort_keys=True, default=str),
        tuple(sorted(project_ids)),
        window,
        tuple(dimensions),
        trend_kind,
    )


def _single_valued(model, path: str) -> bool:
    """Whether ``path`` reaches at most one row from a row of ``model`` (a
    side filtered through a to-many relation keeps its own query: a join
    would repeat the other sides' rows)."""
    for name in path.split("__")[:-1]:
        try:
            field = model._meta.get_field(name)
        except Exception:  # a lookup, not a relation
            return True
        if field.many_to_many or field.one_to_many:
            return False
        model = field.related_model
        if model is None:
            return True
    return True


def _shareable(fact, checked, sum_path) -> bool:
    paths = [part.prefix + field.path for part in fact.parts for field, _op, _v in checked]
    paths += [sum_path] if sum_path else []
    return all(
        _single_valued(apps.get_model(part.model), path) for part in fact.parts for path in paths
    )


class _Recorder:
    def __init__(self):
        self.requests: dict[tuple, list] = {}  # key → [defn, project_ids, …, need_persons]

    def evaluate(self, defn, project_ids, window, dimensions, trend_kind, need_persons):
        key = _request_key(defn, project_ids, window, dimensions, trend_kind)
        known = self.requests.get(key)
        if known is None:
            self.requests[key] = [defn, project_ids, window, dimensions, trend_kind, need_persons]
        else:
            known[-1] = known[-1] or need_persons
        return {}

    def run(self) -> dict[tuple, tuple[dict, bool]]:
        """Count every recorded side: one query per fact, window and
        dimensions (per part of the fact)."""
        groups: dict[tuple, list] = {}
        for key, (defn, project_ids, window, dims, trend_kind, persons) in self.requests.items():
            try:
                fact, checked, measure, sum_path = _side_of(defn, project_ids)
            except EngineError:
                continue  # the second run says why
            alone = None if _shareable(fact, checked, sum_path) else key
            group = (fact.code, key[1], window, key[3], trend_kind, alone)
            groups.setdefault(group, []).append(
                (key, fact, (checked, measure, sum_path, persons), project_ids, dims)
            )
        store, tokens_read = {}, {}
        for (_code, _pids, window, _dims, trend_kind, _alone), members in groups.items():
            _key0, fact, _side, project_ids, dims = members[0]
            counted = cache.count(
                _count,
                fact,
                [m[2] for m in members],
                [_side_id(m[0], m[2][3]) for m in members],
                project_ids,
                window,
                dims,
                trend_kind,
                tokens_read,
            )
            for (key, _f, side, _p, _d), cells in zip(members, counted, strict=True):
                store[key] = (cells, side[3])
        return store


class _Store:
    def __init__(self, counted):
        self.counted = counted

    def evaluate(self, defn, project_ids, window, dimensions, trend_kind, need_persons):
        key = _request_key(defn, project_ids, window, dimensions, trend_kind)
        found = self.counted.get(key)
        if found is not None and (found[1] or not need_persons):
            return {k: list(v) for k, v in found[0].items()}
        return _evaluate_now(defn, project_ids, window, dimensions, trend_kind, need_persons)


def batched(run, plan=None):
    """``run()`` with its counts made in grouped queries (see the module's
    docstring); ``plan()``, when given, asks for the same counts as ``run()``
    and nothing else (it skips what counts nothing). Inside a batch already,
    just ``run()``."""
    if _BATCH.get() is not None:
        return run()
    recorder = _Recorder()
    # The plan's errors are the run's: the second run raises them.
    with _active(recorder), suppress(Exception):
        (plan or run)()
    with _active(_Store(recorder.run())):
        return run()


@contextmanager
def _active(batch):
    token = _BATCH.set(batch)
    try:
        yield
    finally:
        _BATCH.reset(token)


def _side_id(request_key, need_persons) -> str:
    """What names a side among the kept figures (meal/cache.py)."""
    return f"{request_key[0]}|{int(bool(need_persons))}"


def _evaluate_now(defn, project_ids, window, dimensions, trend_kind, need_persons):
    fact, checked, measure, sum_path = _side_of(defn, project_ids)
    side = (checked, measure, sum_path, need_persons)
    side_id = _side_id(
        _request_key(defn, project_ids, window, dimensions, trend_kind), need_persons
    )
    return cache.count(
        _count, fact, [side], [side_id], project_ids, window, dimensions, trend_kind
    )[0]


def evaluate(defn, project_ids, period, dimensions, trend_kind=None, need_persons=True):
    """{cell key: [value, persons]} of one side over ``period``; with
    ``trend_kind`` the key starts with the code of the month, quarter or year."""
    _check_whole_months(defn, period)
    window = period.bounds()
    batch = _BATCH.get()
    if batch is not None:
        return batch.evaluate(defn, project_ids, window, dimensions, trend_kind, need_persons)
    return _evaluate_now(defn, project_ids, window, dimensions, trend_kind, need_persons)


def _check_whole_months(defn, period) -> None:
    fact = get_fact(defn.get("fact") or "")
    if fact is None or not fact.whole_months_only:
        return
    starts_a_month = period.start.day == 1
    ends_a_month = (period.end + timedelta(days=1)).day == 1
    if not (starts_a_month and ends_a_month):
        raise EngineError(
            _("%(fact)s is counted over whole months only (a month, a quarter, a year).")
            % {"fact": fact.label}
        )


# --- ratios and totals --------------------------------------------------------------------


def ratio(num, den):
    if not den:
        return None
    return float((Decimal(num or 0) * 100 / Decimal(den)).quantize(Decimal("0.1")))


def _ratio_cells(num, den) -> dict:
    cells = {key: (ratio(num.get(key, [0, 0])[0], den[key][0]), den[key][1]) for key in den}
    cells.update({key: (None, 0) for key in num if key not in den})
    return cells


def compute_cells(defn, project_ids, period, dimensions, trend_kind=None, need_persons=True):
    """{key: (value, persons)}: persons is the basis of small-cell suppression
    (for a ratio, the persons of the denominator)."""
    if (defn.get("measure") or "count") == RATIO:
        num = evaluate(defn["numerator"], project_ids, period, dimensions, trend_kind, False)
        den = evaluate(
            defn["denominator"], project_ids, period, dimensions, trend_kind, need_persons
        )
        return _ratio_cells(num, den)
    cells = evaluate(defn, project_ids, period, dimensions, trend_kind, need_persons)
    return {key: (value, persons) for key, (value, persons) in cells.items()}


def cells_and_total(defn, project_ids, period, dims, *, need_persons: bool):
    """(total, persons of the total, {cell key: (value, persons)}).

    Counts and sums add up over the cells: their total is the cells' sum
    (one query), unless the persons of the total are needed (suppression).
    Distinct persons do not add up: their total is its own query."""
    is_ratio = (defn.get("measure") or "count") == RATIO
    sides = [defn["numerator"], defn["denominator"]] if is_ratio else [defn]
    side_cells, side_totals = [], []
    for i, side in enumerate(sides):
        # Persons are counted where suppression needs them (the denominator's).
        persons = need_persons and i == len(sides) - 1
        cells = evaluate(side, project_ids, period, dims, None, persons) if dims else {}
        measure = side.get("measure") or "count"
        if dims and measure in ADDITIVE and not need_persons:
            total = [sum(v for v, _p in cells.values()), 0]
        else:
            total = evaluate(side, project_ids, period, (), None, persons).get((), [0, 0])
        side_cells.append(cells)
        side_totals.append(total)
    if not is_ratio:
        total, persons = side_totals[0]
        return total or 0, persons, {k: (v, p) for k, (v, p) in side_cells[0].items()}
    (num_total, _np), (den_total, den_persons) = side_totals
    return ratio(num_total, den_total), den_persons, _ratio_cells(*side_cells)
