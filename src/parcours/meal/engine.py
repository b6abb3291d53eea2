"""The MEAL engine: indicators computed in the database, for one reader.

Every figure is counted with GROUP BY in SQL (``values(...).annotate(...)``)
over the rows of the facts the indicator names (``parcours.meal.facts``),
for the categories the reader may count in the project
(``access.module_scopes.figure_categories``). No row about a person is loaded into
Python and no result carries a name or a person id.

Contract (docs/meal.md): ``compute`` and ``compute_project`` return
``IndicatorResult``; ``PermissionDenied`` when the reader may not count
there; ``EngineError`` (a ValueError) for a disaggregation the indicator
does not offer or a definition that cannot be computed.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from parcours.access.module_scopes import figure_categories
from parcours.access.terms import Category
from parcours.meal import suppression
from parcours.meal.counting import EngineError, batched, cells_and_total, compute_cells
from parcours.meal.definitions import (
    DefinitionError,
    check_definition,
    facts_of,
    offered_dimensions,
)
from parcours.meal.facts import PERSON_DIMENSIONS, value_sort_key
from parcours.meal.facts_custom import custom_categories, custom_offered
from parcours.meal.models import (
    Indicator,
    IndicatorKind,
    ManualValue,
    NarrativeValue,
    Target,
)
from parcours.meal.periods import Period

NONE_SHOWN = "—"


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


# --- figures -------------------------------------------------------------------


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
        total, total_persons, computed = batched(
            lambda: cells_and_total(defn, {indicator.project_id}, period, dims, need_persons=small)
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


def compute_many(
    indicators, period: Period, *, user, outside=False, disaggregate=None
) -> list[IndicatorResult]:
    """``compute`` for each of ``indicators`` the reader may count (the others
    are left out), counted together: one query per fact and dimensions.
    ``disaggregate(indicator)`` gives each one's dimensions."""
    # Read once for both runs of the batch (a no-op when already prefetched).
    prefetch_related_objects(indicators, "targets")

    def each(computed_only: bool):
        results = []
        for indicator in indicators:
            if computed_only and not indicator.is_computed:
                continue
            targets = {t.period: t.value for t in indicator.targets.all()}
            dims = disaggregate(indicator) if disaggregate else ()
            try:
                results.append(
                    compute(
                        indicator,
                        period,
                        user=user,
                        disaggregate=dims,
                        outside=outside,
                        targets=targets,
                    )
                )
            except (PermissionDenied, EngineError):
                continue
        return results

    return batched(lambda: each(False), plan=lambda: each(True))


def compute_project(project, period: Period, *, user, outside=False) -> list[IndicatorResult]:
    """Every active indicator of ``project`` the reader may count (in plan
    order); PermissionDenied when they may count nothing there."""
    exact, small = figure_categories(user, project)
    if not exact and not small:
        raise PermissionDenied
    return compute_many(project_indicators(project), period, user=user, outside=outside)


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


def _trend_values(indicator: Indicator, periods: list[Period], small: bool) -> dict:
    defn = indicator.definition_dict()
    kind = periods[0].kind
    if kind in ("month", "quarter", "year") and all(p.kind == kind for p in periods):
        window = Period(periods[0].start, periods[-1].end, "range", "")
        cells = compute_cells(defn, {indicator.project_id}, window, (), kind, small)
        return {code: cell for (code,), cell in cells.items()}
    values = {}
    for p in periods:
        cells = compute_cells(defn, {indicator.project_id}, p, (), None, small)
        values[p.code] = cells.get((), (None, 0))
    return values


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
        values = batched(lambda: _trend_values(indicator, periods, small))
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


def trend_many(indicators, periods: list[Period], *, user, outside=False) -> dict[int, list]:
    """{indicator id: ``trend``} for each of ``indicators`` the reader may
    count, counted together (one query per fact)."""

    def each(computed_only: bool):
        points = {}
        for indicator in indicators:
            if computed_only and not indicator.is_computed:
                continue
            try:
                points[indicator.pk] = trend(indicator, periods, user=user, outside=outside)
            except (PermissionDenied, EngineError):
                continue
        return points

    return batched(lambda: each(False), plan=lambda: each(True))
