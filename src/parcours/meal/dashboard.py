"""What the MEAL figure pages show, apart from the request: the tiles of a
project dashboard, the mission table, an indicator's cross-table.

Every indicator of a page is counted together (``engine.trend_many``,
``engine.compute_many``): one query per fact, not one per indicator.
"""

from django.core.exceptions import PermissionDenied

from parcours.access.module_scopes import figure_categories, meal_plan_projects
from parcours.meal import charts, engine
from parcours.meal.facts import DIMENSIONS, value_label, value_sort_key
from parcours.meal.models import IndicatorKind
from parcours.meal.periods import trend as trend_periods


def _readable(user, indicators) -> list:
    return [ind for ind in indicators if engine.may_read(user, ind)]


def dashboard_context(user, project, period, *, outside=False, limit=None) -> dict:
    """The tiles of a project dashboard (also used by the home page: the
    first ``limit`` indicators)."""
    exact, small = figure_categories(user, project)
    if not exact and not small:
        raise PermissionDenied
    indicators = _readable(user, engine.project_indicators(project))
    if limit is not None:
        indicators = [i for i in indicators if i.kind != IndicatorKind.NARRATIVE][:limit]
    periods = trend_periods(period, 12)
    charted = [ind for ind in indicators if ind.kind != IndicatorKind.NARRATIVE]
    points = engine.trend_many(charted, periods, user=user, outside=outside)
    # The trend's last point is a computed indicator's figure for a month,
    # quarter or year: counted once. The others are computed for the period.
    from_trend = period.kind != "range"
    computed = {
        result.indicator.pk: result
        for result in engine.compute_many(
            [ind for ind in indicators if not (from_trend and ind.kind == IndicatorKind.COMPUTED)],
            period,
            user=user,
            outside=outside,
        )
    }
    tiles = []
    for ind in indicators:
        if ind.pk in computed:
            result = computed[ind.pk]
        elif ind.pk in points:
            targets = {t.period: t.value for t in ind.targets.all()}
            result = engine.result_from_trend(ind, period, points[ind.pk][-1], targets)
        else:
            continue
        if ind.kind == IndicatorKind.NARRATIVE:
            tiles.append({"result": result, "chart": "", "points": []})
            continue
        label = f"{ind.code}: {periods[0].label} – {period.label}"
        tiles.append(
            {
                "result": result,
                "chart": charts.bars(points[ind.pk], target=result.target, label=label),
                "points": points[ind.pk],
            }
        )
    return {
        "project": project,
        "period": period,
        "tiles": tiles,
        "suppressed_reader": bool(outside or not exact),
        "may_edit": project.pk in meal_plan_projects(user),
    }


def mission_table(user, projects, period) -> list[dict]:
    """One row per indicator code: each project's figure, and the mission's
    total where the figures add up (no ratio, nothing suppressed)."""
    rows: dict[str, dict] = {}
    for project in projects:
        try:
            results = engine.compute_project(project, period, user=user)
        except PermissionDenied:
            continue
        for result in results:
            ind = result.indicator
            if ind.kind == IndicatorKind.NARRATIVE:
                continue
            row = rows.setdefault(
                ind.code,
                {
                    "code": ind.code,
                    "name": ind.name,
                    "unit": ind.unit,
                    "cells": {},
                    "ratio": ind.is_ratio,
                },
            )
            row["cells"][project.pk] = result
    table = []
    for row in sorted(rows.values(), key=lambda r: r["code"]):
        cells = [row["cells"].get(p.pk) for p in projects]
        shown = [c for c in cells if c is not None]
        total = target = None
        if (
            not row["ratio"]
            and shown
            and not any(c.total_suppressed or c.suppressed for c in shown)
        ):
            total = sum((c.total or 0) for c in shown)
            targets = [c.target for c in shown if c.target is not None]
            target = sum(targets) if len(targets) == len(shown) else None
        table.append(
            {
                **row,
                "cells": cells,
                "total": engine.display(total) if total is not None else "—",
                "target": engine.display(target) if target is not None else "",
                "achieved": engine._achieved(total, target),
            }
        )
    return table


def crosstab(result):
    """An indicator disaggregated by two dimensions, as rows and columns."""
    rows_dim, cols_dim = result.dimensions
    rows = sorted({c[rows_dim] for c in result.values}, key=lambda v: value_sort_key(rows_dim, v))
    cols = sorted({c[cols_dim] for c in result.values}, key=lambda v: value_sort_key(cols_dim, v))
    cells = {(c[rows_dim], c[cols_dim]): c["display"] for c in result.values}
    return {
        "rows_dim": DIMENSIONS[rows_dim],
        "cols_dim": DIMENSIONS[cols_dim],
        "cols": [value_label(cols_dim, c) for c in cols],
        "rows": [(value_label(rows_dim, r), [cells.get((r, c), "0") for c in cols]) for r in rows],
    }
