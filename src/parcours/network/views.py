"""The service directory pages: list with filters, map, one entry, adding
and editing, import and export; needs versus services per project. Every
signed-in user reads the directory (no personal data); its editors are the
roles of access.scope.may_edit_directory."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.access.scope import may_edit_directory, parse_id
from parcours.lib.forms import apply_validation_error
from parcours.network import directory_io, services
from parcours.network.choices import STALE_AFTER_DAYS, WEEKDAY_LABELS, WEEKDAYS, Eligibility
from parcours.network.forms import ImportForm, ServiceFilterForm, ServiceForm
from parcours.network.hours import day_text, is_open_at
from parcours.network.models import Service
from parcours.network.needs import needs_projects, needs_versus_services
from parcours.org.models import Project

DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def tiles_url() -> str:
    return getattr(settings, "PARCOURS_MAP_TILES_URL", "") or DEFAULT_TILES


def _editor_or_404(user) -> None:
    if not may_edit_directory(user):
        raise Http404


def filtered_services(params) -> tuple[ServiceFilterForm, list[Service]]:
    """The directory narrowed by the filters of the list, the map and the API."""
    form = ServiceFilterForm(params or None)
    rows = Service.objects.filter(is_active=True)
    if not form.is_valid():
        return form, list(rows)
    data = form.cleaned_data
    if data["q"]:
        rows = rows.filter(
            Q(name__icontains=data["q"])
            | Q(address__icontains=data["q"])
            | Q(notes__icontains=data["q"])
        )
    if data["type"]:
        rows = rows.filter(type=data["type"])
    if data["city"]:
        rows = rows.filter(city__icontains=data["city"])
    rows = list(rows)
    if data["eligibility"]:
        wanted = data["eligibility"]
        rows = [
            s
            for s in rows
            if wanted in s.eligibility or Eligibility.EVERYONE in (s.eligibility or ["everyone"])
        ]
    if data["language"]:
        code = data["language"].strip().lower()
        rows = [s for s in rows if code in s.languages]
    if data["open_now"]:
        now = timezone.localtime()
        rows = [s for s in rows if s.opening_hours and is_open_at(s.opening_hours, now)]
    if data["stale"]:
        rows = [s for s in rows if s.needs_verification()]
    return form, rows


def _hours_rows(service) -> list[tuple[str, str]]:
    return [(WEEKDAY_LABELS[d], day_text(service.opening_hours, d)) for d in WEEKDAYS]


@login_required
def service_list(request: HttpRequest) -> HttpResponse:
    form, rows = filtered_services(request.GET)
    now = timezone.localtime()
    return render(
        request,
        "network/service_list.html",
        {
            "form": form,
            "rows": [
                {
                    "service": s,
                    "stale": s.needs_verification(),
                    "open_now": bool(s.opening_hours) and is_open_at(s.opening_hours, now),
                    "hours_known": bool(s.opening_hours),
                }
                for s in rows
            ],
            "query": request.GET.urlencode(),
            "may_edit": may_edit_directory(request.user),
            "stale_days": STALE_AFTER_DAYS,
            "needs_projects": Project.objects.filter(pk__in=needs_projects(request.user)),
        },
    )


@login_required
def service_map(request: HttpRequest) -> HttpResponse:
    form, rows = filtered_services(request.GET)
    collection = directory_io.feature_collection(rows)
    return render(
        request,
        "network/service_map.html",
        {
            "form": form,
            "geojson": collection,
            "count": len(rows),
            "located": sum(1 for f in collection["features"] if f["geometry"]),
            "tiles_url": tiles_url(),
            "query": request.GET.urlencode(),
        },
    )


def _service_or_404(service_id) -> Service:
    service = Service.objects.filter(pk=parse_id(service_id)).first()
    if service is None:
        raise Http404
    return service


@login_required
def service_detail(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _service_or_404(service_id)
    return render(
        request,
        "network/service_detail.html",
        {
            "service": service,
            "hours": _hours_rows(service),
            "stale": service.needs_verification(),
            "may_edit": may_edit_directory(request.user),
        },
    )


def _save(request, form, service=None):
    try:
        version = form.cleaned_data.get("version") or 0
        return services.service_save(
            actor=request.user, data=form.service_data(), service=service, version=version
        )
    except services.Stale:
        form.add_error(
            None, _("Someone else changed this entry since you opened it: reload the page.")
        )
    except ValidationError as error:
        apply_validation_error(form, error)
    return None


@login_required
def service_new(request: HttpRequest) -> HttpResponse:
    _editor_or_404(request.user)
    form = ServiceForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        service = _save(request, form)
        if service is not None:
            messages.success(request, _("Service added to the directory."))
            return redirect("network:service_detail", service.pk)
    return render(request, "network/service_form.html", {"form": form, "service": None})


@login_required
def service_edit(request: HttpRequest, service_id: int) -> HttpResponse:
    _editor_or_404(request.user)
    service = _service_or_404(service_id)
    form = ServiceForm(request.POST or None, initial=ServiceForm.initial_for(service))
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, service)
        if saved is not None:
            messages.success(request, _("Directory entry saved."))
            return redirect("network:service_detail", saved.pk)
    return render(request, "network/service_form.html", {"form": form, "service": service})


@login_required
def service_import(request: HttpRequest) -> HttpResponse:
    _editor_or_404(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            rows = directory_io.read_upload(form.cleaned_data["file"])
            report = services.services_import(actor=request.user, rows=rows)
        except ValidationError as error:
            form.add_error("file", error.messages)
        except PermissionDenied:
            raise Http404 from None
        if report is not None and report.ok:
            messages.success(
                request,
                _("Import done: %(created)d added, %(updated)d updated.")
                % {"created": report.created, "updated": report.updated},
            )
            return redirect("network:service_list")
    return render(request, "network/service_import.html", {"form": form, "report": report})


@login_required
def service_export(request: HttpRequest) -> HttpResponse:
    _form, rows = filtered_services(request.GET)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if request.GET.get("format") == "geojson":
        body = json.dumps(directory_io.feature_collection(rows), ensure_ascii=False, indent=1)
        response = HttpResponse(body, content_type="application/geo+json")
        response["Content-Disposition"] = (
            f'attachment; filename="parcours-services-{stamp}.geojson"'
        )
    else:
        response = HttpResponse(directory_io.csv_text(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="parcours-services-{stamp}.csv"'
    return response


@login_required
def needs(request: HttpRequest, project_id: int) -> HttpResponse:
    project = Project.objects.filter(pk=project_id, pk__in=needs_projects(request.user)).first()
    if project is None:
        raise Http404
    return render(
        request,
        "network/needs.html",
        {"project": project, **needs_versus_services(project)},
    )
