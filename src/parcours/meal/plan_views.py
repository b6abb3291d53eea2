"""MEAL plan pages: the logframe (view, print, XLSX) and its editing
(objectives, indicators, targets, typed values, export codes).

Coordinators and MEAL officers edit (``plan_project``); every change goes
through ``parcours.meal.services`` (audited).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from parcours.access.module_scopes import meal_plan_projects
from parcours.meal import logframe, services
from parcours.meal.access import (
    editable_indicator,
    editable_objective,
    figure_project,
    plan_project,
)
from parcours.meal.forms import IndicatorForm, MappingForm, ObjectiveForm
from parcours.meal.models import ExportMapping, Measure
from parcours.meal.periods import last_complete_month


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
        version = request.POST.get("version")
        if _attempt(
            request,
            lambda: services.objective_delete(
                actor=request.user, objective=objective, version=version
            ),
        ):
            messages.success(request, _("Deleted."))
        return redirect("meal:logframe", project_id=objective.project_id)
    return _objective_form(request, objective.project, objective)


def _attempt(request, write) -> bool:
    """Run a write of the services; a stale version or a refusal is said on
    the page. True when it was saved."""
    try:
        write()
    except services.Stale:
        _stale(request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        return True
    return False


def _edit(request, form, existing, save, done, template: str, context: dict):
    """A plan form: a valid POST is saved through the services
    (``save(version)``; the version is checked when ``existing`` is edited)
    and leads to ``done(saved)``; a stale version or a refusal stays on the
    form with the reason."""
    if request.method == "POST" and form.is_valid():
        version = request.POST.get("version") if existing is not None else None
        try:
            saved = save(version)
        except services.Stale:
            _stale(request)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Saved."))
            return done(saved)
    return render(request, template, {"form": form, **context})


def _objective_form(request, project, objective):
    form = ObjectiveForm(project, request.POST or None, instance=objective)
    return _edit(
        request,
        form,
        objective,
        lambda version: services.objective_save(
            actor=request.user,
            project=project,
            data=form.cleaned_data,
            objective=objective,
            version=version,
        ),
        lambda _saved: redirect("meal:logframe", project_id=project.pk),
        "meal/objective_form.html",
        {"project": project, "objective": objective},
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
    return _edit(
        request,
        form,
        ind,
        lambda version: services.indicator_save(
            actor=request.user,
            project=project,
            data=form.service_data(),
            indicator=ind,
            version=version,
        ),
        lambda saved: redirect("meal:indicator_plan", indicator_id=saved.pk),
        "meal/indicator_form.html",
        {"project": project, "indicator": ind, "Measure": Measure},
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_plan(request, indicator_id):
    """Targets, typed values and export codes of an indicator."""
    ind = editable_indicator(request.user, indicator_id)
    if request.method == "POST" and _attempt(request, lambda: _plan_write(request, ind)):
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


def _plan_write(request, ind) -> None:
    """The write an indicator's plan page asks for (``action``)."""
    action, data = request.POST.get("action"), request.POST
    if action == "target":
        services.target_set(
            actor=request.user,
            indicator=ind,
            period=data.get("period", ""),
            value=data.get("value", ""),
        )
    elif action == "value":
        services.value_set(
            actor=request.user,
            indicator=ind,
            period=data.get("period", ""),
            value=data.get("value", ""),
            comment=data.get("comment", ""),
            text=data.get("text", ""),
            version=data.get("version") or None,
        )
    elif action == "mapping":
        form = MappingForm(ind, data)
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
