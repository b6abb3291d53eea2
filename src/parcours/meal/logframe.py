"""The logframe of a project as a tree, for the page, the print view and
the XLSX in the usual logframe layout."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from parcours.lib.spreadsheets import safe_row
from parcours.meal.models import LEVEL_ORDER, Indicator, Objective
from parcours.meal.periods import last_complete_month


def _target_periods(indicators, months: int = 12) -> list[str]:
    """The period columns of the targets: the last months and the years."""
    month = last_complete_month()
    months = [month.previous(n).code for n in range(months - 1, -1, -1)]
    codes = {t.period for ind in indicators for t in ind.targets.all()}
    years = sorted(c for c in codes if len(c) == 4)
    quarters = sorted(c for c in codes if "Q" in c)
    return [m for m in months if m in codes] + quarters + years


def context(project, *, user=None, months: int = 12) -> dict:
    objectives = list(Objective.objects.filter(project=project).order_by("order", "code", "id"))
    indicators = list(
        Indicator.objects.filter(project=project)
        .select_related("objective")
        .prefetch_related("targets")
        .order_by("order", "code")
    )
    by_objective: dict[int | None, list] = {}
    for ind in indicators:
        by_objective.setdefault(ind.objective_id, []).append(ind)
    children: dict[int | None, list] = {}
    for obj in objectives:
        children.setdefault(obj.parent_id, []).append(obj)
    rows = []

    def walk(parent_id, depth):
        for obj in children.get(parent_id, []):
            rows.append(
                {"objective": obj, "depth": depth, "indicators": by_objective.get(obj.pk, [])}
            )
            walk(obj.pk, depth + 1)

    walk(None, 0)
    # Boxes whose parent is missing (a moved tree) are shown at the end.
    shown = {row["objective"].pk for row in rows}
    for obj in objectives:
        if obj.pk not in shown:
            rows.append({"objective": obj, "depth": 0, "indicators": by_objective.get(obj.pk, [])})
    periods = _target_periods(indicators, months)
    for row in rows:
        row["indicator_rows"] = [
            {"indicator": ind, "targets": _targets(ind, periods)} for ind in row["indicators"]
        ]
    unattached = [
        {"indicator": ind, "targets": _targets(ind, periods)} for ind in by_objective.get(None, [])
    ]
    return {
        "project": project,
        "rows": rows,
        "unattached": unattached,
        "periods": periods,
        "levels": LEVEL_ORDER,
    }


def _targets(ind, periods) -> list:
    values = {t.period: t.value for t in ind.targets.all()}
    return [values.get(p) for p in periods]


def xlsx(project, *, user=None) -> bytes:
    data = context(project, user=user)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Logframe")[:31]
    header = [
        _("Level"),
        _("Code"),
        _("Narrative summary"),
        _("Indicator code"),
        _("Indicator"),
        _("Definition"),
        _("Baseline"),
        _("Baseline date"),
        *[_("Target %(period)s") % {"period": p} for p in data["periods"]],
        _("Source of verification"),
        _("Frequency"),
        _("Responsible"),
        _("Assumptions"),
    ]
    sheet.append([project.name])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(safe_row(header))
    for cell in sheet[2]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="0B4450")
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    def indicator_cells(item):
        ind = item["indicator"]
        return [
            ind.code,
            ind.name,
            ind.definition,
            float(ind.baseline_value) if ind.baseline_value is not None else None,
            ind.baseline_date,
            *[float(v) if v is not None else None for v in item["targets"]],
            ind.source,
            ind.get_frequency_display(),
            ind.owner,
        ]

    blank_indicator = [None] * (8 + len(data["periods"]))
    for row in data["rows"]:
        obj = row["objective"]
        head = [obj.get_level_display(), obj.code, obj.narrative]
        items = row["indicator_rows"] or [None]
        for i, item in enumerate(items):
            cells = indicator_cells(item) if item else blank_indicator
            first = i == 0
            sheet.append(
                safe_row(
                    (head if first else ["", "", ""]) + cells + [obj.assumptions if first else ""]
                )
            )
    for item in data["unattached"]:
        sheet.append(safe_row(["", "", _("(not attached)")] + indicator_cells(item) + [""]))
    widths = [18, 8, 50, 14, 40, 40, 10, 12] + [10] * len(data["periods"]) + [24, 12, 20, 30]
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=2, column=i).column_letter].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "D3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
