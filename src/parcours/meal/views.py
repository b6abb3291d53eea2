"""MEAL pages: dashboards (project, mission), an indicator's disaggregation,
the logframe (view, print, XLSX, editing) and the exports.

Figures only: no page of this app shows a name or links to a person.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from parcours.access.scope import figure_categories, meal_plan_projects
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.meal import charts, engine, exports, logframe, services
from parcours.meal.access import (
    editable_indicator,
    editable_objective,
    figure_mission,
    figure_project,
    figure_project_ids,
    plan_project,
    readable_indicator,
)
from parcours.meal.definitions import offered_dimensions
from parcours.meal.facts import DIMENSIONS, value_label, value_sort_key
from parcours.meal.forms import IndicatorForm, MappingForm, ObjectiveForm, ProjectMappingForm
from parcours.meal.models import ExportMapping, IndicatorKind, Measure, ProjectMapping
from parcours.meal.periods import PERIOD_HELP, PeriodError, last_complete_month, parse_period
from parcours.meal.periods import trend as trend_periods
from parcours.org.models import Project


def _period(request):
    """The period asked for (?period=), else the last complete month; a bad
    one is said on the page and replaced by the default."""
    text = request.GET.get("period", "").strip()
    if not text:
        return last_complete_month()
    try:
        return parse_period(text)
    except PeriodError as error:
        messages.error(request, str(error))
        return last_complete_month()


def _period_choices(period):
    month = last_complete_month()
    return {
        "months": [month.previous(n) for n in range(0, 24)],
        "quarters": [month.containing(month.start, "quarter").previous(n) for n in range(0, 8)],
        "years": [month.containing(month.start, "year").previous(n) for n in range(0, 4)],
        "help": PERIOD_HELP,
        "current": period,
    }


@login_required
def index(request):
    """The first dashboard of the user's projects (it links to the others
    and to the missions)."""
    ids = figure_project_ids(request.user)
    if not ids:
        raise Http404
    first = Project.objects.filter(pk__in=ids).order_by("status", "mission__name", "name").first()
    return redirect("meal:dashboard", project_id=first.pk)


def dashboard_context(user, project, period, *, outside=False, limit=None) -> dict:
    """The tiles of a project dashboard (also used by the home page: the
    first ``limit`` indicators)."""
    exact, small = figure_categories(user, project)
    if not exact and not small:
        raise PermissionDenied
    indicators = [ind for ind in engine.project_indicators(project) if engine.may_read(user, ind)]
    if limit is not None:
        indicators = [i for i in indicators if i.kind != IndicatorKind.NARRATIVE][:limit]
    periods = trend_periods(period, 12)
    tiles = []
    for ind in indicators:
        targets = {t.period: t.value for t in ind.targets.all()}
        if ind.kind == IndicatorKind.NARRATIVE:
            result = engine.compute(ind, period, user=user, outside=outside, targets=targets)
            tiles.append({"result": result, "chart": "", "points": []})
            continue
        points = engine.trend(ind, periods, user=user, outside=outside)
        if ind.kind == IndicatorKind.COMPUTED and period.kind != "range":
            # The trend's last point is the period's figure: counted once.
            result = engine.result_from_trend(ind, period, points[-1], targets)
        else:
            result = engine.compute(ind, period, user=user, outside=outside, targets=targets)
        tiles.append(
            {
                "result": result,
                "chart": charts.bars(
                    points,
                    target=result.target,
                    label=f"{result.indicator.code}: {periods[0].label} – {period.label}",
                ),
                "points": points,
            }
        )
    return {
        "project": project,
        "period": period,
        "tiles": tiles,
        "suppressed_reader": bool(outside or not exact),
        "may_edit": project.pk in meal_plan_projects(user),
    }


@login_required
def dashboard(request, project_id):
    project = figure_project(request.user, project_id)
    period = _period(request)
    context = dashboard_context(request.user, project, period)
    context["choices"] = _period_choices(period)
    context["other_projects"] = Project.objects.filter(
        pk__in=figure_project_ids(request.user) - {project.pk}
    )
    return render(request, "meal/dashboard.html", context)


@login_required
def mission(request, mission_id):
    mission_obj, projects = figure_mission(request.user, mission_id)
    period = _period(request)
    rows: dict[str, dict] = {}
    for project in projects:
        try:
            results = engine.compute_project(project, period, user=request.user)
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
    return render(
        request,
        "meal/mission.html",
        {
            "mission": mission_obj,
            "projects": projects,
            "period": period,
            "table": table,
            "choices": _period_choices(period),
        },
    )


@login_required
def indicator(request, indicator_id):
    """An indicator's figure for the period, disaggregated (?by=sex&by=age_group)."""
    ind = readable_indicator(request.user, indicator_id)
    period = _period(request)
    offered = (
        offered_dimensions(ind.definition_dict(), ind.disaggregations or None)
        if ind.is_computed
        else ()
    )
    by = [d for d in request.GET.getlist("by") if d in offered][:3]
    if not request.GET.getlist("by") and offered:
        by = [d for d in ("sex", "age_group") if d in offered]
    try:
        result = engine.compute(ind, period, user=request.user, disaggregate=by)
    except PermissionDenied:
        raise Http404 from None
    except engine.EngineError as error:
        messages.error(request, str(error))
        result = engine.compute(ind, period, user=request.user)
        by = []
    table = _crosstab(result) if len(by) == 2 else None
    points = engine.trend(ind, trend_periods(period, 12), user=request.user)
    return render(
        request,
        "meal/indicator.html",
        {
            "indicator": ind,
            "project": ind.project,
            "period": period,
            "result": result,
            "by": by,
            "offered": [(d, DIMENSIONS[d]) for d in offered],
            "crosstab": table,
            "dimension_labels": [DIMENSIONS[d] for d in result.dimensions],
            "rows": [
                {
                    "keys": [value_label(d, cell[d]) for d in result.dimensions],
                    "display": cell["display"],
                }
                for cell in result.values
            ],
            "points": points,
            "chart": charts.bars(
                points, target=result.target, width=480, height=120, label=ind.code
            ),
            "choices": _period_choices(period),
            "may_edit": ind.project_id in meal_plan_projects(request.user),
        },
    )


def _crosstab(result):
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


# --- logframe ---------------------------------------------------------------------------


@login_required
def logframe_view(request, project_id):
    project = figure_project(request.user, project_id)
    context = logframe.context(project, user=request.user, months=3)
    context["may_edit"] = project.pk in meal_plan_projects(request.user)
    return render(request, "meal/logframe.html", context)


@login_required
def logframe_print(request, project_id):
    project = figure_project(request.user, project_id)
    context = logframe.context(project, user=request.user, months=6)
    return render(request, "meal/logframe_print.html", context)


@login_required
def logframe_xlsx(request, project_id):
    project = figure_project(request.user, project_id)
    content = logframe.xlsx(project, user=request.user)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="logframe-{project.code}.xlsx"'
    return response


def _stale(request):
    messages.error(
        request,
        _("Someone else saved this in the meantime: reload the page and make your change again."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_new(request, project_id):
    project = plan_project(request.user, project_id)
    return _objective_form(request, project, None)


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request, objective_id):
    objective = editable_objective(request.user, objective_id)
    if request.method == "POST" and request.POST.get("delete"):
        try:
            services.objective_delete(
                actor=request.user, objective=objective, version=request.POST.get("version")
            )
        except services.Stale:
            _stale(request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Deleted."))
        return redirect("meal:logframe", project_id=objective.project_id)
    return _objective_form(request, objective.project, objective)


def _objective_form(request, project, objective):
    form = ObjectiveForm(project, request.POST or None, instance=objective)
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_save(
                actor=request.user,
                project=project,
                data=form.cleaned_data,
                objective=objective,
                version=request.POST.get("version") if objective else None,
            )
        except services.Stale:
            _stale(request)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Saved."))
            return redirect("meal:logframe", project_id=project.pk)
    return render(
        request,
        "meal/objective_form.html",
        {"form": form, "project": project, "objective": objective},
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_new(request, project_id):
    project = plan_project(request.user, project_id)
    return _indicator_form(request, project, None)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, indicator_id):
    ind = editable_indicator(request.user, indicator_id)
    return _indicator_form(request, ind.project, ind)


def _indicator_form(request, project, ind):
    form = IndicatorForm(project, request.POST or None, instance=ind)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.indicator_save(
                actor=request.user,
                project=project,
                data=form.service_data(),
                indicator=ind,
                version=request.POST.get("version") if ind else None,
            )
        except services.Stale:
            _stale(request)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Saved."))
            return redirect("meal:indicator_plan", indicator_id=saved.pk)
    return render(
        request,
        "meal/indicator_form.html",
        {"form": form, "project": project, "indicator": ind, "Measure": Measure},
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_plan(request, indicator_id):
    """Targets, typed values and export codes of an indicator."""
    ind = editable_indicator(request.user, indicator_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "target":
                services.target_set(
                    actor=request.user,
                    indicator=ind,
                    period=request.POST.get("period", ""),
                    value=request.POST.get("value", ""),
                )
            elif action == "value":
                services.value_set(
                    actor=request.user,
                    indicator=ind,
                    period=request.POST.get("period", ""),
                    value=request.POST.get("value", ""),
                    comment=request.POST.get("comment", ""),
                    text=request.POST.get("text", ""),
                    version=request.POST.get("version") or None,
                )
            elif action == "mapping":
                form = MappingForm(ind, request.POST)
                if not form.is_valid():
                    raise ValidationError(form.errors.get_json_data() and form.error_text())
                services.mapping_set(
                    actor=request.user,
                    indicator=ind,
                    disaggregation=form.disaggregation(),
                    codes=form.cleaned_data,
                )
            else:
                raise ValidationError(_("Unknown action."))
        except services.Stale:
            _stale(request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved."))
            return redirect("meal:indicator_plan", indicator_id=ind.pk)
    return render(
        request,
        "meal/indicator_plan.html",
        {
            "indicator": ind,
            "project": ind.project,
            "targets": ind.targets.all(),
            "manual_values": ind.manual_values.all(),
            "narrative_values": ind.narrative_values.all(),
            "mappings": ExportMapping.objects.filter(indicator=ind),
            "mapping_form": MappingForm(ind),
            "default_period": last_complete_month().code,
        },
    )


# --- exports ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def export_page(request, project_id):
    project = figure_project(request.user, project_id)
    exact, _small = figure_categories(request.user, project)
    forced = not exact  # advocacy: always suppressed
    may_edit = project.pk in meal_plan_projects(request.user)
    mapping = ProjectMapping.objects.filter(project=project).first()
    mapping_form = ProjectMappingForm(instance=mapping) if may_edit else None
    if request.method == "POST" and request.POST.get("action") == "project_mapping":
        if not may_edit:
            raise Http404
        mapping_form = ProjectMappingForm(request.POST, instance=mapping)
        if mapping_form.is_valid():
            services.project_mapping_set(
                actor=request.user, project=project, codes=mapping_form.cleaned_data
            )
            messages.success(request, _("Saved."))
            return redirect("meal:export", project_id=project.pk)
    elif request.method == "POST":
        fmt = request.POST.get("format", "")
        try:
            period = parse_period(request.POST.get("period", ""))
        except PeriodError as error:
            messages.error(request, str(error))
            return redirect("meal:export", project_id=project.pk)
        outside = forced or bool(request.POST.get("outside"))
        try:
            content, content_type, name = exports.export(
                fmt, project, period, user=request.user, outside=outside
            )
        except exports.ExportError as error:
            messages.error(request, str(error))
            return redirect(reverse("meal:export", args=[project.pk]) + f"?period={period.code}")
        except PermissionDenied:
            raise Http404 from None
        audit.record(
            actor=request.user,
            event=Event.MEAL_EXPORT,
            subject=project,
            project=project,
            extra={"format": fmt, "period": period.code, "outside": outside},
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    period = _period(request)
    return render(
        request,
        "meal/export.html",
        {
            "project": project,
            "period": period,
            "forced": forced,
            "outside_default": forced,
            "mapping_form": mapping_form,
            "formats": exports.FORMATS,
        },
    )
