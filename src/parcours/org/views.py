"""Configuration pages: missions, projects, sites and activity types (users and
roles: accounts.configuration_views).

Only configuration administrators (``is_configuration_admin``) reach them;
everyone else signed in gets 404, as for anything outside their scope.
Nothing here shows personal data of persons.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parcours.access.scope import is_configuration_admin
from parcours.audit.models import AuditEvent
from parcours.lib.forms import apply_validation_error
from parcours.org import services
from parcours.org.forms import (
    ActivityTypeForm,
    MissionForm,
    ProjectForm,
    SiteForm,
    read_original,
    service_data,
    sign_original,
)
from parcours.org.models import ActivityType, Mission, Project, Site, Status


def configuration_admin(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; then 404 for anyone who is not a configuration admin."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_configuration_admin(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


# -- the four entities share one create/edit flow --------------------------


@dataclass(frozen=True)
class Entity:
    key: str  # the service keyword and URL prefix: mission, project, site, activity_type
    model: type
    form: type[forms.Form]
    values: Callable[[Any], dict]
    create: Callable[..., Any]
    update: Callable[..., Any]
    list_url: str
    list_title: str
    title_new: str
    title_edit: str
    saved: str


MISSION = Entity(
    key="mission",
    model=Mission,
    form=MissionForm,
    values=services.mission_values,
    create=services.mission_create,
    update=services.mission_update,
    list_url="org:mission_list",
    list_title=gettext_lazy("Missions"),
    title_new=gettext_lazy("New mission"),
    title_edit=gettext_lazy("Edit mission"),
    saved=gettext_lazy("Mission saved."),
)
PROJECT = Entity(
    key="project",
    model=Project,
    form=ProjectForm,
    values=services.project_values,
    create=services.project_create,
    update=services.project_update,
    list_url="org:project_list",
    list_title=gettext_lazy("Projects"),
    title_new=gettext_lazy("New project"),
    title_edit=gettext_lazy("Edit project"),
    saved=gettext_lazy("Project saved."),
)
SITE = Entity(
    key="site",
    model=Site,
    form=SiteForm,
    values=services.site_values,
    create=services.site_create,
    update=services.site_update,
    list_url="org:site_list",
    list_title=gettext_lazy("Sites"),
    title_new=gettext_lazy("New site"),
    title_edit=gettext_lazy("Edit site"),
    saved=gettext_lazy("Site saved."),
)
ACTIVITY_TYPE = Entity(
    key="activity_type",
    model=ActivityType,
    form=ActivityTypeForm,
    values=services.activity_type_values,
    create=services.activity_type_create,
    update=services.activity_type_update,
    list_url="org:activity_type_list",
    list_title=gettext_lazy("Activity types"),
    title_new=gettext_lazy("New activity type"),
    title_edit=gettext_lazy("Edit activity type"),
    saved=gettext_lazy("Activity type saved."),
)


def _labels(form_class: type[forms.Form]) -> dict[str, str]:
    return {name: field.label for name, field in form_class.base_fields.items()}


def _display(field: str, value: Any) -> str:
    """A stored value (pk, code, ISO date…) as a person reads it."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field == "status":
        return str(dict(Status.choices).get(value, value))
    if field == "mission":
        return str(Mission.objects.filter(pk=value).first() or value)
    if field == "project":
        return str(Project.objects.filter(pk=value).first() or value)
    if field == "activity_types":
        return ", ".join(str(a) for a in ActivityType.objects.filter(pk__in=value)) or "—"
    return str(value)


def _change_rows(form_class: type[forms.Form], changes: dict) -> list[dict]:
    labels = _labels(form_class)
    return [
        {"field": labels.get(f, f), "before": _display(f, b), "after": _display(f, a)}
        for f, (b, a) in changes.items()
    ]


def _history(instance) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            subject_type=instance._meta.label_lower, subject_id=str(instance.pk)
        ).select_related("actor")[:20]
    )


def _create(request: HttpRequest, entity: Entity, initial: dict | None = None) -> HttpResponse:
    form = entity.form(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entity.create(actor=request.user, data=service_data(form))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, entity.saved)
            return redirect(entity.list_url)
    return render(
        request,
        "org/form.html",
        {
            "form": form,
            "title": entity.title_new,
            "cancel_url": entity.list_url,
            "list_title": entity.list_title,
        },
    )


def _edit(request: HttpRequest, entity: Entity, pk: int) -> HttpResponse:
    instance = get_object_or_404(entity.model, pk=pk)
    stale_changes = None
    if request.method == "POST":
        form = entity.form(request.POST)
        if form.is_valid():
            original = read_original(instance, form.cleaned_data["original"])
            try:
                if original is None:
                    raise services.StaleEdit(instance, {}, entity.values(instance))
                entity.update(
                    actor=request.user,
                    **{entity.key: instance},
                    data=service_data(form),
                    original=original,
                )
            except services.StaleEdit as stale:
                # Keep what was typed, show what changed; the next save is deliberate.
                stale_changes = _change_rows(entity.form, stale.changes)
                form.data = form.data.copy()
                form.data["original"] = sign_original(instance, stale.current)
                form.add_error(
                    None,
                    _(
                        "Someone else changed this since you opened the form. "
                        "Check their changes below; your entries are kept. "
                        "Save again to apply yours."
                    )
                    if stale.changes
                    else _("This form could not be checked. Check your entries and save again."),
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, entity.saved)
                return redirect(entity.list_url)
    else:
        initial = entity.form.initial_for(instance)
        initial["original"] = sign_original(instance, entity.values(instance))
        form = entity.form(initial=initial)
    return render(
        request,
        "org/form.html",
        {
            "form": form,
            "title": entity.title_edit,
            "instance": instance,
            "cancel_url": entity.list_url,
            "list_title": entity.list_title,
            "stale_changes": stale_changes,
            "history": [
                {"event": e, "changes": _change_rows(entity.form, e.changes)}
                for e in _history(instance)
            ],
        },
    )


# -- pages ------------------------------------------------------------------


@configuration_admin
def index(request: HttpRequest) -> HttpResponse:
    missions = Mission.objects.prefetch_related(
        Prefetch(
            "projects",
            queryset=Project.objects.order_by("name").prefetch_related(
                Prefetch("sites", queryset=Site.objects.prefetch_related("activity_types"))
            ),
        )
    )
    return render(
        request,
        "org/index.html",
        {
            "missions": missions,
            "activity_type_count": ActivityType.objects.count(),
        },
    )


@configuration_admin
def mission_list(request: HttpRequest) -> HttpResponse:
    missions = Mission.objects.annotate(project_count=Count("projects"))
    return render(request, "org/mission_list.html", {"missions": missions})


@configuration_admin
def mission_create(request: HttpRequest) -> HttpResponse:
    return _create(request, MISSION)


@configuration_admin
def mission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, MISSION, pk)


@configuration_admin
def project_list(request: HttpRequest) -> HttpResponse:
    projects = (
        Project.objects.select_related("mission")
        .annotate(
            site_count=Count("sites", distinct=True),
            member_count=Count("memberships__user", distinct=True),
        )
        .order_by("mission__name", "name")
    )
    return render(request, "org/project_list.html", {"projects": projects})


@configuration_admin
def project_create(request: HttpRequest) -> HttpResponse:
    initial = {"status": Status.OPEN}
    mission_id = request.GET.get("mission", "")
    if mission_id.isdigit():
        initial["mission"] = int(mission_id)
    return _create(request, PROJECT, initial)


@configuration_admin
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, PROJECT, pk)


@configuration_admin
def site_list(request: HttpRequest) -> HttpResponse:
    sites = Site.objects.select_related("project").prefetch_related("activity_types")
    project = None
    project_id = request.GET.get("project", "")
    if project_id.isdigit():
        project = Project.objects.filter(pk=int(project_id)).first()
        if project is not None:
            sites = sites.filter(project=project)
    return render(
        request,
        "org/site_list.html",
        {
            "sites": sites.order_by("project__name", "name"),
            "project": project,
            "projects": Project.objects.order_by("name"),
            "new_url": reverse("org:site_create") + (f"?project={project.pk}" if project else ""),
        },
    )


@configuration_admin
def site_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {"is_active": True}
    project_id = request.GET.get("project", "")
    if project_id.isdigit():
        initial["project"] = int(project_id)
    return _create(request, SITE, initial)


@configuration_admin
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, SITE, pk)


@configuration_admin
def activity_type_list(request: HttpRequest) -> HttpResponse:
    activity_types = ActivityType.objects.annotate(site_count=Count("sites"))
    return render(request, "org/activity_type_list.html", {"activity_types": activity_types})


@configuration_admin
def activity_type_create(request: HttpRequest) -> HttpResponse:
    return _create(request, ACTIVITY_TYPE)


@configuration_admin
def activity_type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, ACTIVITY_TYPE, pk)
