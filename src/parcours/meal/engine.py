"""The MEAL engine: indicators computed in the database, for one reader.

Every figure is counted with GROUP BY in SQL (``values(...).annotate(...)``)
over the rows of the facts the indicator names (``parcours.meal.facts``),
for the categories the reader may count in the project
(``access.scope.figure_categories``). No row about a person is loaded into
Python and no result carries a name or a person id.

Contract (docs/meal.md): ``compute`` and ``compute_project`` return
``IndicatorResult``; ``PermissionDenied`` when the reader may not count
there; ``EngineError`` (a ValueError) for a disaggregation the indicator
does not offer or a definition that cannot be computed.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from parcours.access.scope import figure_categories
from parcours.access.terms import Category
from parcours.meal import suppression
from parcours.meal.definitions import (
    DefinitionError,
    check_definition,
    check_filters,
    facts_of,
    filters_q,
    offered_dimensions,
)
from parcours.meal.facts import PERSON_DIMENSIONS, UNKNOWN, get_fact, value_sort_key
from parcours.meal.facts_custom import (
    alias,
    custom_categories,
    custom_offered,
    dimension_field,
    is_custom,
)
from parcours.meal.models import (
    Indicator,
    IndicatorKind,
    ManualValue,
    Measure,
    NarrativeValue,
    Target,
)
from parcours.meal.periods import Period
from parcours.meal.sql import LocalPeriodCode

NONE_SHOWN = "—"


class EngineError(ValueError):
    """A computation that cannot be made (message for people)."""


# --- results -----------------------------------------------------------------


def _number(value):
    """A JSON-friendly number: int when whole, else float (2 decimals)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value, 2)
    return value


def display(value, *, ratio: bool = False, suppressed: bool = False) -> str:
    if suppressed:
        return suppression.SHOWN_AS
    if value is None:
        return NONE_SHOWN
    text = number_format(_number(value), force_grouping=True)
    return f"{text} %" if ratio else text


@dataclass
class IndicatorResult:
    indicator: Indicator
    period: Period
    total: object = None  # int / float; None: nothing to show ("—") or suppressed
    values: list[dict] = field(default_factory=list)
    target: object = None
    achieved_pct: float | None = None
    suppressed: bool = False
    dimensions: tuple[str, ...] = ()
    total_suppressed: bool = False
    text: str = ""  # narrative indicators
    comment: str = ""  # manual indicators

    @property
    def is_ratio(self) -> bool:
        return self.indicator.is_ratio

    @property
    def total_display(self) -> str:
        if self.indicator.kind == IndicatorKind.NARRATIVE:
            return self.text or NONE_SHOWN
        return display(self.total, ratio=self.is_ratio, suppressed=self.total_suppressed)

    @property
    def target_display(self) -> str:
        return display(self.target, ratio=self.is_ratio)

    def as_dict(self) -> dict:
        """The figures, JSON-serialisable, to freeze in a report (no name, no person id)."""
        ind = self.indicator
        return {
            "indicator": {
                "id": ind.pk,
                "code": ind.code,
                "name_fr": ind.name_fr,
                "name_en": ind.name_en,
                "kind": ind.kind,
                "type": ind.type,
                "measure": ind.measure if ind.is_computed else "",
                "unit": ind.unit,
                "project": ind.project_id,
            },
            "period": self.period.code,
            "period_start": self.period.start.isoformat(),
            "period_end": self.period.end.isoformat(),
            "total": _number(self.total),
            "total_display": self.total_display,
            "total_suppressed": self.total_suppressed,
            "dimensions": list(self.dimensions),
            "values": [
                {k: (_number(v) if k == "value" else v) for k, v in cell.items()}
                for cell in self.values
            ],
            "target": _number(self.target),
            "achieved_pct": self.achieved_pct,
            "suppressed": self.suppressed,
            "text": self.text,
            "comment": self.comment,
        }


# --- access --------------------------------------------------------------------


def _categories_needed(indicator: Indicator, dimensions) -> set[Category]:
    if not indicator.is_computed:
        return set()
    needed = {fact.category for fact in facts_of(indicator.definition_dict())}
    if set(dimensions) & PERSON_DIMENSIONS:
        needed.add(Category.IDENTITY)
    return needed | custom_categories(indicator.definition_dict(), indicator.project_id, dimensions)


def reader_mode(user, indicator: Indicator, dimensions=(), *, outside=False) -> bool:
    """Whether ``user`` reads this indicator with small cells suppressed;
    PermissionDenied when they may not read its figures at all."""
    exact, small = figure_categories(user, indicator.project_id)
    if not exact and not small:
        raise PermissionDenied
    needed = _categories_needed(indicator, dimensions)
    if not needed <= exact | small:
        raise PermissionDenied
    return bool(outside or not exact or not needed <= exact)


def may_read(user, indicator: Indicator) -> bool:
    try:
        reader_mode(user, indicator)
    except PermissionDenied:
        return False
    return True


# --- counting ------------------------------------------------------------------


def _aggregates(part, measure: str, sum_path: str | None, need_persons: bool):
    if measure == "sum":
        value = Sum(sum_path)
    elif measure == "persons":
        value = Count(part.person, distinct=True)
    elif part.weight:
        value = Sum(part.weight)
    else:
        value = Count("pk")
    if not need_persons:
        return {"value": value}
    if part.weight:
        return {"value": value, "persons": Sum(part.weight)}
    if part.person:
        return {"value": value, "persons": Count(part.person, distinct=True)}
    return {"value": value}


def _dimension(part, name: str, window, custom: dict):
    if is_custom(name):
        return custom[name].dimension(part)
    return part.dimension(name, window)


def _part_rows(
    part, defn, checked, project_ids, window, dimensions, trend_kind, need_persons, custom=None
):
    start, end = window
    qs = part.queryset().filter(
        **{
            f"{part.project}__in": list(project_ids),
            f"{part.date}__gte": start,
            f"{part.date}__lt": end,
        }
    )
    if checked:
        qs = qs.filter(filters_q(checked, part.prefix, part=part))
    measure = defn.get("measure") or "count"
    sum_path = None
    if measure == "sum":
        fact = get_fact(defn["fact"])
        sum_path = fact.field(defn.get("field")).path
    aggregates = _aggregates(part, measure, sum_path, need_persons)
    names = [alias(d) for d in dimensions]
    annotations = {alias(d): _dimension(part, d, window, custom) for d in dimensions}
    if trend_kind is not None:
        annotations["d__period"] = LocalPeriodCode(F(part.date), trend_kind, window)
        names.append("d__period")
    qs = qs.order_by()
    if not names:
        return [qs.aggregate(**aggregates)]
    return list(qs.annotate(**annotations).values(*names).annotate(**aggregates))


def _key_value(dimension: str, raw):
    if raw is None or raw == "":
        return UNKNOWN
    return str(raw)


def _evaluate(defn, project_ids, period: Period, dimensions, trend_kind=None, need_persons=True):
    """{cell key: [value, persons]}; with ``trend_kind`` the key starts with
    the code of the month, quarter or year."""
    fact = get_fact(defn.get("fact") or "")
    if fact is None:
        raise EngineError(_("This indicator counts nothing that exists."))
    project_id = next(iter(project_ids)) if len(project_ids) == 1 else None
    errors, checked = check_filters(fact, defn.get("filters") or [], project_id)
    if errors:
        raise EngineError(" ".join(errors))
    custom = {}
    for d in dimensions:
        if is_custom(d):
            custom[d] = dimension_field(fact, d, project_id)
            if custom[d] is None:
                raise EngineError(_("No custom field %(name)s to disaggregate by.") % {"name": d})
    bounds = period.bounds()
    cells: dict[tuple, list] = {}
    for part in fact.parts:
        rows = _part_rows(
            part, defn, checked, project_ids, bounds, dimensions, trend_kind, need_persons, custom
        )
        for row in rows:
            key = tuple(_key_value(d, row.get(alias(d))) for d in dimensions)
            if trend_kind is not None:
                key = (row["d__period"],) + key
            cell = cells.setdefault(key, [0, 0])
            cell[0] += row["value"] or 0
            cell[1] += row.get("persons") or 0
    return cells


def _ratio(num, den):
    if not den:
        return None
    return float((Decimal(num or 0) * 100 / Decimal(den)).quantize(Decimal("0.1")))


def _compute_cells(defn, project_ids, period, dimensions, trend_kind=None, need_persons=True):
    """{key: (value, persons)}: persons is the basis of small-cell suppression
    (for a ratio, the persons of the denominator)."""
    if (defn.get("measure") or "count") == Measure.RATIO:
        num = _evaluate(defn["numerator"], project_ids, period, dimensions, trend_kind, False)
        den = _evaluate(
            defn["denominator"], project_ids, period, dimensions, trend_kind, need_persons
        )
        cells = {key: (_ratio(num.get(key, [0, 0])[0], den[key][0]), den[key][1]) for key in den}
        cells.update({key: (None, 0) for key in num if key not in den})
        return cells
    cells = _evaluate(defn, project_ids, period, dimensions, trend_kind, need_persons)
    return {key: (value, persons) for key, (value, persons) in cells.items()}


_ADDITIVE = ("count", "sum")


def _cells_and_total(defn, project_ids, period, dims, *, need_persons: bool):
    """(total, persons of the total, {cell key: (value, persons)}).

    Counts and sums add up over the cells: their total is the cells' sum
    (one query), unless the persons of the total are needed (suppression).
    Distinct persons do not add up: their total is its own query."""
    ratio = (defn.get("measure") or "count") == Measure.RATIO
    sides = [defn["numerator"], defn["denominator"]] if ratio else [defn]
    side_cells, side_totals = [], []
    for i, side in enumerate(sides):
        # Persons are counted where suppression needs them (the denominator's).
        persons = need_persons and i == len(sides) - 1
        cells = _evaluate(side, project_ids, period, dims, None, persons) if dims else {}
        measure = side.get("measure") or "count"
        if dims and measure in _ADDITIVE and not need_persons:
            total = [sum(v for v, _p in cells.values()), 0]
        else:
            total = _evaluate(side, project_ids, period, (), None, persons).get((), [0, 0])
        side_cells.append(cells)
        side_totals.append(total)
    if not ratio:
        total, persons = side_totals[0]
        return total or 0, persons, {k: (v, p) for k, (v, p) in side_cells[0].items()}
    (num_total, _np), (den_total, den_persons) = side_totals
    num, den = side_cells
    cells = {key: (_ratio(num.get(key, [0, 0])[0], den[key][0]), den[key][1]) for key in den}
    cells.update({key: (None, 0) for key in num if key not in den})
    return _ratio(num_total, den_total), den_persons, cells


def _target_for(indicator: Indicator, period: Period, targets=None):
    if targets is None:
        targets = {t.period: t.value for t in Target.objects.filter(indicator=indicator)}
    if period.code in targets:
        return targets[period.code]
    if indicator.is_ratio or period.kind not in ("quarter", "year"):
        return None
    months = [
        Period.month(y, m)
        for y in range(period.start.year, period.end.year + 1)
        for m in range(1, 13)
        if period.start <= Period.month(y, m).start <= period.end
    ]
    if all(m.code in targets for m in months):
        return sum((targets[m.code] for m in months), Decimal(0))
    if period.kind == "year":
        quarters = [Period.quarter(period.start.year, q).code for q in range(1, 5)]
        if all(q in targets for q in quarters):
            return sum((targets[q] for q in quarters), Decimal(0))
    return None


def _achieved(total, target):
    if total is None or target in (None, 0):
        return None
    return round(float(Decimal(str(total)) * 100 / Decimal(target)), 1)


def check_disaggregation(indicator: Indicator, disaggregate) -> tuple[str, ...]:
    dims = tuple(dict.fromkeys(d for d in disaggregate if d))
    if not dims:
        return ()
    if not indicator.is_computed:
        raise EngineError(_("Only computed indicators are disaggregated."))
    defn = indicator.definition_dict()
    offered = offered_dimensions(defn, indicator.disaggregations or None)
    refused = [
        d
        for d in dims
        if d not in offered
        and not custom_offered(defn, indicator.project_id, indicator.disaggregations, d)
    ]
    if refused:
        raise EngineError(
            _("%(indicator)s cannot be disaggregated by %(dimensions)s (offered: %(offered)s).")
            % {
                "indicator": indicator.code,
                "dimensions": ", ".join(refused)[:80],
                "offered": ", ".join(offered) or "—",
            }
        )
    return dims


def compute(
    indicator: Indicator, period: Period, *, user, disaggregate=(), outside=False, targets=None
) -> IndicatorResult:
    """The indicator's figure for ``period``, disaggregated by ``disaggregate``."""
    dims = check_disaggregation(indicator, disaggregate)
    small = reader_mode(user, indicator, dims, outside=outside)
    result = IndicatorResult(indicator=indicator, period=period, dimensions=dims)
    result.target = _target_for(indicator, period, targets)
    if indicator.kind == IndicatorKind.MANUAL:
        row = ManualValue.objects.filter(indicator=indicator, period=period.code).first()
        if row is not None:
            result.total, result.comment = row.value, row.comment
    elif indicator.kind == IndicatorKind.NARRATIVE:
        row = NarrativeValue.objects.filter(indicator=indicator, period=period.code).first()
        result.text = row.text if row is not None else ""
    else:
        defn = indicator.definition_dict()
        try:
            check_definition(defn)
        except DefinitionError as error:
            raise EngineError(str(error)) from None
        total, total_persons, computed = _cells_and_total(
            defn, {indicator.project_id}, period, dims, need_persons=small
        )
        cells = []
        for key, (value, persons) in sorted(
            computed.items(),
            key=lambda kv: [value_sort_key(d, v) for d, v in zip(dims, kv[0], strict=True)],
        ):
            cell = dict(zip(dims, key, strict=True))
            cell.update(value=value, persons=persons)
            cells.append(cell)
        hidden = set()
        if small:
            result.total_suppressed = suppression.is_small(total_persons)
            hidden = suppression.suppressed_cells(cells, dims)
        for i, cell in enumerate(cells):
            persons = cell.pop("persons")
            shown = i in hidden or result.total_suppressed and persons > 0
            cell["suppressed"] = bool(shown)
            if shown:
                cell["value"] = None
            cell["display"] = display(cell["value"], ratio=indicator.is_ratio, suppressed=shown)
        result.values = cells
        result.total = None if result.total_suppressed else total
        result.suppressed = bool(result.total_suppressed or hidden)
    result.achieved_pct = _achieved(result.total, result.target)
    return result


def project_indicators(project):
    return list(
        Indicator.objects.filter(project=project, is_active=True)
        .select_related("objective", "project")
        .prefetch_related("targets")
    )


def compute_project(project, period: Period, *, user, outside=False) -> list[IndicatorResult]:
    """Every active indicator of ``project`` the reader may count (in plan
    order); PermissionDenied when they may count nothing there."""
    exact, small = figure_categories(user, project)
    if not exact and not small:
        raise PermissionDenied
    results = []
    for indicator in project_indicators(project):
        targets = {t.period: t.value for t in indicator.targets.all()}
        try:
            results.append(compute(indicator, period, user=user, outside=outside, targets=targets))
        except PermissionDenied:
            continue
        except EngineError:
            continue
    return results


# --- trends ----------------------------------------------------------------------


def result_from_trend(indicator: Indicator, period: Period, point: dict, targets=None):
    """The result of a computed indicator for the last period of its trend,
    without counting again (the dashboard counts each indicator once)."""
    result = IndicatorResult(indicator=indicator, period=period)
    result.target = _target_for(indicator, period, targets)
    result.total_suppressed = result.suppressed = point["suppressed"]
    value = point["value"]
    result.total = None if value is None else value
    result.achieved_pct = _achieved(result.total, result.target)
    return result


def trend(indicator: Indicator, periods: list[Period], *, user, outside=False) -> list[dict]:
    """[{"period", "label", "value", "display", "suppressed"}] for each period,
    counted in one GROUP BY per part when the periods are months, quarters or
    years (a range is counted period by period)."""
    small = reader_mode(user, indicator, outside=outside)
    if not periods:
        return []
    values: dict[str, tuple] = {}
    if indicator.kind == IndicatorKind.MANUAL:
        rows = ManualValue.objects.filter(indicator=indicator, period__in=[p.code for p in periods])
        values = {row.period: (row.value, 0) for row in rows}
    elif indicator.kind == IndicatorKind.COMPUTED:
        defn = indicator.definition_dict()
        kind = periods[0].kind
        if kind in ("month", "quarter", "year") and all(p.kind == kind for p in periods):
            window = Period(periods[0].start, periods[-1].end, "range", "")
            cells = _compute_cells(defn, {indicator.project_id}, window, (), kind, small)
            values = {code: cell for (code,), cell in cells.items()}
        else:
            for p in periods:
                cells = _compute_cells(defn, {indicator.project_id}, p, (), None, small)
                values[p.code] = cells.get((), (None, 0))
    out = []
    for p in periods:
        default = (None, 0) if indicator.is_ratio or not indicator.is_computed else (0, 0)
        value, persons = values.get(p.code, default)
        hidden = bool(small and suppression.is_small(persons))
        out.append(
            {
                "period": p.code,
                "label": p.short_label,
                "value": None if hidden else _number(value),
                "display": display(value, ratio=indicator.is_ratio, suppressed=hidden),
                "suppressed": hidden,
            }
        )
    return out
