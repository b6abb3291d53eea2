"""Report pages: the monthly SITREP of a project and the mission report
(quarter or year), their narratives, validation, reopening, the changes
between validated versions, and the downloads. No page names a person."""

from datetime import timedelta

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
    report_projects,
    report_validate_projects,
    report_write_projects,
)
from parcours.access.scope import parse_id
from parcours.lib.forms import flash_errors
from parcours.lib.replica import replica_reads
from parcours.meal.periods import Period, PeriodError, parse_period
from parcours.org.models import Mission, Project
from parcours.quality.evaluate import quality_projects
from parcours.reporting import exports, services
from parcours.reporting.content import changes, report_content
from parcours.reporting.models import NARRATIVE_FIELDS, Kind, Report
from parcours.reporting.services import Subject


def default_period(kind: str) -> Period:
    today = timezone.localdate()
    if kind == Kind.SITREP:
        return Period.containing(today, "month").previous()
    return Period.containing(today, "quarter").previous()


def _period(request: HttpRequest, kind: str) -> tuple[Period, str]:
    """The period asked for (GET or POST), or the default one and a message."""
    text = (request.POST.get("period") or request.GET.get("period") or "").strip()
    if not text:
        return default_period(kind), ""
    try:
        return parse_period(text), ""
    except PeriodError as error:
        return default_period(kind), str(error)


# --- subjects ------------------------------------------------------------------


def _sitrep_subject(request, project_id) -> Subject:
    project = (
        Project.objects.filter(pk=project_id, pk__in=report_projects(request.user))
        .select_related("mission")
        .first()
    )
    if project is None:
        raise Http404
    return Subject(kind=Kind.SITREP, project=project)


def _mission_subject(request) -> Subject | None:
    """The mission asked for, if the user reads one of its projects' reports;
    None when none was asked for (the caller sends the user to the index)."""
    value = request.POST.get("mission") or request.GET.get("mission")
    readable = report_projects(request.user)
    if not readable:
        raise Http404
    if not value:
        return None
    mission = (
        Mission.objects.filter(pk=parse_id(value), projects__pk__in=readable).distinct().first()
    )
    if mission is None:
        raise Http404
    return Subject(kind=Kind.MISSION, mission=mission)


def _page_url(subject: Subject, period: Period) -> str:
    if subject.kind == Kind.SITREP:
        base = reverse("reporting:sitrep", args=[subject.project.pk])
        return f"{base}?{urlencode({'period': period.code})}"
    base = reverse("reporting:mission")
    return f"{base}?{urlencode({'mission': subject.mission.pk, 'period': period.code})}"


def _url(name: str, subject: Subject, period: Period) -> str:
    if subject.kind == Kind.SITREP:
        base = reverse(f"reporting:sitrep_{name}", args=[subject.project.pk])
        return f"{base}?{urlencode({'period': period.code})}"
    base = reverse(f"reporting:mission_{name}")
    return f"{base}?{urlencode({'mission': subject.mission.pk, 'period': period.code})}"


# --- pages ---------------------------------------------------------------------


@login_required
def report_index(request: HttpRequest) -> HttpResponse:
    ids = report_projects(request.user)
    if not ids:
        raise Http404
    projects = list(Project.objects.filter(pk__in=ids).select_related("mission"))
    missions = list(Mission.objects.filter(projects__pk__in=ids).distinct().order_by("name"))
    reports = list(
        Report.objects.filter(kind=Kind.SITREP, project_id__in=ids)
        .select_related("project", "validated")
        .order_by("-period", "project__name")[:60]
    )
    month, quarter = default_period(Kind.SITREP), default_period(Kind.MISSION)
    return render(
        request,
        "reporting/index.html",
        {
            "projects": [
                {"project": p, "url": _page_url(Subject(Kind.SITREP, project=p), month)}
                for p in projects
            ],
            "missions": [
                {"mission": m, "url": _page_url(Subject(Kind.MISSION, mission=m), quarter)}
                for m in missions
            ],
            "reports": [
                {
                    "report": r,
                    "url": _page_url(
                        Subject(Kind.SITREP, project=r.project), parse_period(r.period)
                    ),
                }
                for r in reports
            ],
            "month": month,
            "quarter": quarter,
        },
    )


def _render_report(request, subject: Subject, period: Period, error: str) -> HttpResponse:
    if error:
        messages.error(request, error)
    try:
        services.check_period(subject, period)
    except ValidationError as invalid:
        flash_errors(request, invalid)
        period = default_period(subject.kind)
    content = report_content(request.user, subject, period)
    report = content.report
    user = request.user
    may_write = services.may_write(user, subject, period)
    may_validate = services.may_validate(user, subject, period)
    over = period.end < timezone.localdate()
    versions = content.versions
    quality_ids = quality_projects(user)
    return render(
        request,
        "reporting/report.html",
        {
            "content": content,
            "subject": subject,
            "period": period,
            "previous_url": _page_url(subject, period.previous()),
            "next_url": _page_url(subject, _next(period))
            if _next(period).start <= timezone.localdate()
            else "",
            "report": report,
            "version": report.version if report else 0,
            "editable": may_write and content.frozen is None,
            "may_validate": may_validate and content.frozen is None and over,
            "validate_later": may_validate and content.frozen is None and not over,
            "may_reopen": may_validate and content.frozen is not None,
            "versions": versions,
            "changes_url": _url("changes", subject, period) if len(versions) >= 2 else "",
            "save_url": _url("save", subject, period),
            "validate_url": _url("validate", subject, period),
            "reopen_url": _url("reopen", subject, period),
            "downloads": [
                (fmt.upper(), _url(fmt, subject, period)) for fmt in ("pdf", "xlsx", "docx")
            ],
            "quality_links": {
                p["id"]: f"{reverse('quality:project', args=[p['id']])}?month={period.code}"
                for p in content.figures["projects"]
                if p["id"] in quality_ids and period.kind == "month"
            },
        },
    )


def _next(period: Period) -> Period:
    return Period.containing(
        period.end + timedelta(days=1), period.kind if period.kind != "range" else "month"
    )


@login_required
def sitrep(request: HttpRequest, project_id: int) -> HttpResponse:
    subject = _sitrep_subject(request, project_id)
    period, error = _period(request, Kind.SITREP)
    return _render_report(request, subject, period, error)


@login_required
def mission(request: HttpRequest) -> HttpResponse:
    subject = _mission_subject(request)
    if subject is None:
        return redirect("reporting:index")
    period, error = _period(request, Kind.MISSION)
    return _render_report(request, subject, period, error)


# --- writes --------------------------------------------------------------------


def _version(request) -> int:
    try:
        return max(0, int(request.POST.get("version", "0")))
    except ValueError:
        return 0


def _write(request, subject: Subject | None, action: str) -> HttpResponse:
    if subject is None:
        return redirect("reporting:index")
    period, error = _period(request, subject.kind)
    if error:
        messages.error(request, error)
        return redirect(_page_url(subject, default_period(subject.kind)))
    back = _page_url(subject, period)
    try:
        if action == "save":
            data = {name: request.POST.get(name, "") for name in NARRATIVE_FIELDS}
            services.report_save(
                actor=request.user,
                subject=subject,
                period=period,
                data=data,
                version=_version(request),
            )
            messages.success(request, _("Report saved."))
        elif action == "validate":
            services.report_validate(
                actor=request.user, subject=subject, period=period, version=_version(request)
            )
            messages.success(request, _("Report validated: its figures are frozen."))
        else:
            services.report_reopen(
                actor=request.user,
                subject=subject,
                period=period,
                version=_version(request),
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Report reopened: the validated version is kept."))
    except services.StaleReport:
        messages.error(
            request,
            _(
                "Someone changed this report while you were editing it. Your text was not "
                "saved: the page now shows their version; copy your changes again."
            ),
        )
    except PermissionDenied as denied:
        messages.error(request, str(denied) or _("You may not do this."))
    except ValidationError as invalid:
        flash_errors(request, invalid)
    return redirect(back)


def _writer_subject(request, project_id, allowed) -> Subject:
    subject = _sitrep_subject(request, project_id)
    if subject.project.pk not in allowed(request.user):
        raise Http404
    return subject


def _mission_writer(request, allowed) -> Subject | None:
    if not allowed(request.user):
        raise Http404
    return _mission_subject(request)


@login_required
@require_POST
def sitrep_save(request, project_id: int) -> HttpResponse:
    return _write(request, _writer_subject(request, project_id, report_write_projects), "save")


@login_required
@require_POST
def sitrep_validate(request, project_id: int) -> HttpResponse:
    subject = _writer_subject(request, project_id, report_validate_projects)
    return _write(request, subject, "validate")


@login_required
@require_POST
def sitrep_reopen(request, project_id: int) -> HttpResponse:
    subject = _writer_subject(request, project_id, report_validate_projects)
    return _write(request, subject, "reopen")


@login_required
@require_POST
def mission_save(request) -> HttpResponse:
    return _write(request, _mission_writer(request, report_write_projects), "save")


@login_required
@require_POST
def mission_validate(request) -> HttpResponse:
    return _write(request, _mission_writer(request, report_validate_projects), "validate")


@login_required
@require_POST
def mission_reopen(request) -> HttpResponse:
    return _write(request, _mission_writer(request, report_validate_projects), "reopen")


# --- changes between versions --------------------------------------------------


def _changes(request, subject: Subject | None) -> HttpResponse:
    if subject is None:
        return redirect("reporting:index")
    period, error = _period(request, subject.kind)
    if error:
        messages.error(request, error)
    report = services.find_report(subject, period)
    versions = list(report.versions.order_by("number")) if report else []
    if len(versions) < 2:
        messages.info(request, _("Only one validated version: nothing to compare yet."))
        return redirect(_page_url(subject, period))
    by_number = {v.number: v for v in versions}

    def pick(name, default):
        try:
            return by_number.get(int(request.GET.get(name, "")), default)
        except ValueError:
            return default

    before, after = pick("a", versions[-2]), pick("b", versions[-1])
    return render(
        request,
        "reporting/changes.html",
        {
            "subject": subject,
            "period": period,
            "before": before,
            "after": after,
            "versions": versions,
            "diff": changes(request.user, subject, period, before, after),
            "back_url": _page_url(subject, period),
            "title": _("Monthly SITREP") if subject.kind == Kind.SITREP else _("Mission report"),
            "name": subject.project.name if subject.project else subject.mission.name,
        },
    )


@login_required
def sitrep_changes(request, project_id: int) -> HttpResponse:
    return _changes(request, _sitrep_subject(request, project_id))


@login_required
def mission_changes(request) -> HttpResponse:
    return _changes(request, _mission_subject(request))


# --- downloads -----------------------------------------------------------------

_BUILDERS = {
    "pdf": exports.pdf_response,
    "xlsx": exports.xlsx_response_for,
    "docx": exports.docx_response,
}


def _download(request, subject: Subject | None, fmt: str) -> HttpResponse:
    if subject is None:
        return redirect("reporting:index")
    period, error = _period(request, subject.kind)
    try:
        if error:
            raise ValidationError(error)
        services.check_period(subject, period)
    except ValidationError as invalid:
        flash_errors(request, invalid)
        return redirect(_page_url(subject, default_period(subject.kind)))
    with replica_reads():  # a download reads much and writes nothing
        content = report_content(request.user, subject, period)
    response = _BUILDERS[fmt](content)
    services.report_downloaded(
        actor=request.user, subject=subject, period=period, report=content.report, fmt=fmt
    )
    return response


@login_required
def sitrep_pdf(request, project_id: int) -> HttpResponse:
    return _download(request, _sitrep_subject(request, project_id), "pdf")


@login_required
def sitrep_xlsx(request, project_id: int) -> HttpResponse:
    return _download(request, _sitrep_subject(request, project_id), "xlsx")


@login_required
def sitrep_docx(request, project_id: int) -> HttpResponse:
    return _download(request, _sitrep_subject(request, project_id), "docx")


@login_required
def mission_pdf(request) -> HttpResponse:
    return _download(request, _mission_subject(request), "pdf")


@login_required
def mission_xlsx(request) -> HttpResponse:
    return _download(request, _mission_subject(request), "xlsx")


@login_required
def mission_docx(request) -> HttpResponse:
    return _download(request, _mission_subject(request), "docx")
