"""MEAL pages: dashboards (project, mission), an indicator's disaggregation
and the exports. The logframe and its editing are in ``plan_views``; what
the figure pages show is worked out in ``dashboard``.

Figures only: no page of this app shows a name or links to a person.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from parcours.access.module_scopes import figure_categories, meal_plan_projects
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.meal import charts, engine, exports, services
from parcours.meal.access import (
    figure_mission,
    figure_project,
    figure_project_ids,
    readable_indicator,
)
from parcours.meal.dashboard import crosstab, dashboard_context, mission_table
from parcours.meal.definitions import offered_dimensions
from parcours.meal.facts import DIMENSIONS, value_label
from parcours.meal.forms import ProjectMappingForm
from parcours.meal.models import ProjectMapping
from parcours.meal.periods import PERIOD_HELP, PeriodError, last_complete_month, parse_period
from parcours.meal.periods import trend as trend_periods
from parcours.org.models import Project

__all__ = ["dashboard_context"]  # the home page shows the first tiles


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
    return render(
        request,
        "meal/mission.html",
        {
            "mission": mission_obj,
            "projects": projects,
            "period": period,
            "table": mission_table(request.user, projects, period),
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
    table = crosstab(result) if len(by) == 2 else None
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
