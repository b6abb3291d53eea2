"""The daily report pages: the projects' reports, one day's figures and team
notes, writing and validating them. No page names a person."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.access.module_scopes import (
    daily_report_notes_projects,
    daily_report_projects,
    daily_report_validate_projects,
    daily_report_write_projects,
)
from parcours.access.scope import parse_id
from parcours.daily import services
from parcours.daily.exports import export_projects
from parcours.daily.figures import APPOINTMENT_COLUMNS, day_figures
from parcours.daily.forms import NotesForm
from parcours.daily.models import NOTE_FIELDS, DailyReport
from parcours.lib.dates import parse_day
from parcours.lib.forms import apply_validation_error, flash_errors
from parcours.org.models import Project, Site

LIST_LENGTH = 120


def _project_or_404(user, project_id) -> Project:
    project = (
        Project.objects.filter(pk=project_id, pk__in=daily_report_projects(user))
        .select_related("mission")
        .first()
    )
    if project is None:
        raise Http404
    return project


def _day(value, *, today: date) -> date:
    return parse_day(value) or today


def _site(project, value) -> Site | None:
    """The site asked for (one of the project's), or None for the whole project."""
    if not value:
        return None
    site = Site.objects.filter(pk=parse_id(value), project=project).first()
    if site is None:
        raise Http404
    return site


def report_url(project, day: date, site=None) -> str:
    params = {"day": day.isoformat()}
    if site is not None:
        params["site"] = site.pk
    return f"{reverse('daily:report', args=[project.pk])}?{urlencode(params)}"


@login_required
def daily_index(request: HttpRequest) -> HttpResponse:
    projects = list(
        Project.objects.filter(pk__in=daily_report_projects(request.user)).select_related("mission")
    )
    if not projects:
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "daily/index.html",
        {
            "projects": [{"project": p, "today_url": report_url(p, today)} for p in projects],
            "may_export": bool(export_projects(request.user)),
        },
    )


@login_required
def report_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project_or_404(request.user, project_id)
    reports = list(
        DailyReport.objects.filter(project=project)
        .select_related("site", "written_by", "validated_by")
        .order_by("-date", "site__name", "id")[:LIST_LENGTH]
    )
    notes_shown = project.pk in daily_report_notes_projects(request.user)
    rows = [
        {
            "url": report_url(project, r.date, r.site),
            "date": r.date,
            "site": r.site.name if r.site_id else "",
            "has_notes": notes_shown and any(getattr(r, n) for n in NOTE_FIELDS),
            "written_by": _name(r.written_by),
            "validated_by": _name(r.validated_by) if r.validated_by_id else "",
            "validated_at": r.validated_at,
        }
        for r in reports
    ]
    return render(
        request,
        "daily/list.html",
        {
            "project": project,
            "rows": rows,
            "notes_shown": notes_shown,
            "today_url": report_url(project, timezone.localdate()),
            "truncated": len(reports) == LIST_LENGTH,
        },
    )


def _name(user) -> str:
    return user.get_full_name() or user.username


@login_required
def report_page(request: HttpRequest, project_id: int) -> HttpResponse:
    user = request.user
    project = _project_or_404(user, project_id)
    today = timezone.localdate()
    day = _day(request.GET.get("day"), today=today)
    site = _site(project, request.GET.get("site"))
    report = DailyReport.objects.filter(project=project, site=site, date=day).first()
    notes_shown = project.pk in daily_report_notes_projects(user)
    may_write = project.pk in daily_report_write_projects(user) and day <= today
    may_validate = project.pk in daily_report_validate_projects(user) and day <= today
    form = None
    if may_write:
        initial = {n: getattr(report, n) for n in NOTE_FIELDS} if report else {}
        form = NotesForm(initial=initial)
    sites = list(Site.objects.filter(project=project).order_by("name"))
    exports = project.pk in export_projects(user)
    return render(
        request,
        "daily/report.html",
        _page_context(project, day, site, report, sites, form, today=today)
        | {
            "figures": day_figures(user, project, day, site=site),
            "appointment_columns": APPOINTMENT_COLUMNS,
            "notes_shown": notes_shown,
            "notes": _notes(report) if notes_shown and report else [],
            "may_validate": may_validate,
            "agenda_exports": [
                {
                    "name": s.name,
                    "url": f"{reverse('daily:agenda_export', args=[s.pk])}?day={day.isoformat()}",
                }
                for s in sites
                if site is None or s.pk == site.pk
            ]
            if exports
            else [],
        },
    )


def _notes(report) -> list[dict]:
    labels = NotesForm.base_fields
    return [
        {"label": labels[n].label, "text": getattr(report, n)}
        for n in NOTE_FIELDS
        if getattr(report, n)
    ]


def _page_context(project, day, site, report, sites, form, *, today) -> dict:
    return {
        "project": project,
        "day": day,
        "site": site,
        "report": report,
        "version": report.version if report else 0,
        "written_by": _name(report.written_by) if report else "",
        "validated_by": _name(report.validated_by) if report and report.validated_by_id else "",
        "sites": sites,
        "form": form,
        "future": day > today,
        "previous_url": report_url(project, day - timedelta(days=1), site),
        "next_url": report_url(project, day + timedelta(days=1), site),
        "today_url": report_url(project, today, site),
    }


def _no_day(request, project) -> HttpResponse:
    # The forms always send the day they show: never save on another one.
    messages.error(request, _("Which day is this report about? Open it again and retry."))
    return redirect("daily:list", project_id=project.pk)


def _posted(request, project):
    """The day, site and version a POST is about; the page to go back to."""
    day = parse_day(request.POST.get("day"))
    site = _site(project, request.POST.get("site"))
    try:
        version = int(request.POST.get("version", "0") or 0)
    except ValueError:
        version = -1
    return day, site, version, (report_url(project, day, site) if day else "")


@login_required
@require_POST
def report_save(request: HttpRequest, project_id: int) -> HttpResponse:
    user = request.user
    project = _project_or_404(user, project_id)
    if project.pk not in daily_report_write_projects(user):
        raise Http404
    day, site, version, back = _posted(request, project)
    if day is None:
        return _no_day(request, project)
    form = NotesForm(request.POST)
    if form.is_valid():
        try:
            services.daily_report_save(
                actor=user,
                project=project,
                site=site,
                day=day,
                data=form.cleaned_data,
                version=version,
            )
        except services.StaleReport as stale:
            form.add_error(
                None,
                _(
                    "Someone else saved this report since you opened it. Your text is kept "
                    "below: save again to replace theirs."
                ),
            )
            version = stale.report.version
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Daily report saved."))
            return redirect(back)
    # Shown again with the writer's text and the errors.
    today = timezone.localdate()
    report = DailyReport.objects.filter(project=project, site=site, date=day).first()
    sites = list(Site.objects.filter(project=project).order_by("name"))
    context = _page_context(project, day, site, report, sites, form, today=today)
    context["version"] = version
    return render(
        request,
        "daily/report.html",
        context
        | {
            "figures": day_figures(user, project, day, site=site),
            "appointment_columns": APPOINTMENT_COLUMNS,
            "notes_shown": True,
            "notes": [],
            "may_validate": False,
            "agenda_exports": [],
        },
        status=200,
    )


@login_required
@require_POST
def report_validate(request: HttpRequest, project_id: int) -> HttpResponse:
    user = request.user
    project = _project_or_404(user, project_id)
    if project.pk not in daily_report_validate_projects(user):
        raise Http404
    day, site, version, back = _posted(request, project)
    if day is None:
        return _no_day(request, project)
    try:
        services.daily_report_validate(
            actor=user, project=project, site=site, day=day, version=version
        )
    except services.StaleReport:
        messages.error(
            request, _("The report changed since you read it: read it again, then validate.")
        )
    except ValidationError as error:
        flash_errors(request, error)
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, _("Daily report validated."))
    return redirect(back)
