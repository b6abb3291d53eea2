"""The data-quality pages: a project's month (score, counts per check, and
the findings the reader may open). The MEAL officer reads counts only."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.access.scope import log_reads
from parcours.audit.events import Read
from parcours.org.models import Project
from parcours.people.models import Person
from parcours.quality.checks import CHECKS_BY_CODE, KIND_LABELS
from parcours.quality.evaluate import findings, quality_projects, scope_for, summarise
from parcours.quality.months import last_month, month_of, parse_month


def _project_or_404(user, project_id) -> Project:
    project = (
        Project.objects.filter(pk=project_id, pk__in=quality_projects(user))
        .select_related("mission")
        .first()
    )
    if project is None:
        raise Http404
    return project


@login_required
def quality_index(request: HttpRequest) -> HttpResponse:
    projects = list(
        Project.objects.filter(pk__in=quality_projects(request.user)).select_related("mission")
    )
    if not projects:
        raise Http404
    return render(request, "quality/index.html", {"projects": projects, "month": last_month().code})


@login_required
def project_quality(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project_or_404(request.user, project_id)
    error = ""
    text = request.GET.get("month", "")
    month = parse_month(text) if text else last_month()
    if month is None:
        error = _("Give the month as YYYY-MM, e.g. 2026-10.")
        month = last_month()
    elif month > month_of(timezone.localdate()):
        error = _("This month is still to come: the last month is shown instead.")
        month = last_month()
    scope = scope_for(request.user, project)
    summary = summarise(project, month, scope)
    shown = request.GET.get("check", "")
    listed = None
    if shown:
        check = CHECKS_BY_CODE.get(shown)
        if check is None or not scope.counts(check):
            raise Http404
        rows, total = findings(request.user, check, project, month, scope)
        persons = {row.person_id: row for row in rows if row.person_id}
        if persons:
            log_reads(
                request,
                Person.objects.filter(pk__in=list(persons)),
                Read.IDENTITY_SUMMARY,
            )
        listed = {
            "check": check,
            "rows": rows,
            "total": total,
            "allowed": scope.lists(check),
            "truncated": total > len(rows),
        }
    base = reverse("quality:project", args=[project.pk])
    results = [
        {
            "result": r,
            "kind": KIND_LABELS[r.check.kind],
            "url": f"{base}?month={month.code}&check={r.check.code}",
            "listable": scope.lists(r.check),
        }
        for r in summary.results
    ]
    return render(
        request,
        "quality/project.html",
        {
            "project": project,
            "month": month,
            "previous_url": f"{base}?month={month.previous().code}",
            "next_url": f"{base}?month={month.next().code}"
            if month < month_of(timezone.localdate())
            else "",
            "summary": summary,
            "results": results,
            "listed": listed,
            "error": error,
            "counts_only": not any(row["listable"] for row in results),
        },
    )
