"""The figures of a report, from the MEAL engine and the data-quality checks.

A draft's figures are computed for its reader; a validated version's are the
validator's, frozen (exact, and with small cells suppressed for the readers
who see figures that way). What one reader sees of a frozen version is
narrowed to the indicators they may read now (``meal.engine.may_read``).
Nothing here carries a name or a person id: the engine's ``as_dict()`` never
does, and the data-quality part is counts.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from parcours.access.module_scopes import report_outside_projects
from parcours.meal.engine import compute_project, may_read
from parcours.meal.models import Indicator
from parcours.meal.periods import Period
from parcours.quality.evaluate import quality_projects, scope_for, summarise
from parcours.reporting.feedback_section import feedback_section, narrow_feedback


def _indicator_rows(results, previous) -> list[dict]:
    before = {r.indicator.code: r.as_dict() for r in previous}
    rows = []
    for result in results:
        row = result.as_dict()
        prior = before.get(result.indicator.code)
        row["previous_period"] = prior["period"] if prior else ""
        row["previous_total"] = prior["total"] if prior else None
        row["previous_display"] = prior["total_display"] if prior else "—"
        row["change"] = _change(row["total"], row["previous_total"])
        rows.append(row)
    return rows


def _change(now, before):
    if now is None or before is None:
        return None
    return round(now - before, 1)


def project_figures(project, period: Period, *, user, outside: bool) -> dict:
    """One project's section: each indicator's figures (with the previous
    period's total) and, for who may open the data-quality page, the score."""
    try:
        results = compute_project(project, period, user=user, outside=outside)
        previous = compute_project(project, period.previous(), user=user, outside=outside)
    except PermissionDenied:
        results, previous = [], []
    quality = None
    if not outside and project.pk in quality_projects(user):
        quality = summarise(project, period, scope_for(user, project)).as_dict()
    return {
        "id": project.pk,
        "code": project.code,
        "name": project.name,
        "indicators": _indicator_rows(results, previous),
        "quality": quality,
        "feedback": feedback_section(project, period, user=user, outside=outside),
    }


def report_figures(projects, period: Period, *, user, outside: bool) -> dict:
    return {
        "period": period.code,
        "previous_period": period.previous().code,
        "computed_at": timezone.now().isoformat(),
        "outside": outside,
        "projects": [project_figures(p, period, user=user, outside=outside) for p in projects],
    }


def reads_outside(user, project_ids) -> bool:
    """Does the user read these projects' reports with small cells suppressed?"""
    return bool(set(project_ids) & report_outside_projects(user))


def narrowed(figures: dict, user) -> dict:
    """A frozen version's figures as ``user`` may read them now: the
    indicators they may read, and the data-quality score only for who opens
    the data-quality page."""
    ids = {
        row["indicator"]["id"]
        for project in figures.get("projects", [])
        for row in project.get("indicators", [])
    }
    readable = {
        indicator.pk
        for indicator in Indicator.objects.filter(pk__in=ids).select_related("project")
        if may_read(user, indicator)
    }
    quality_ids = quality_projects(user)
    projects = []
    for project in figures.get("projects", []):
        rows = [r for r in project.get("indicators", []) if r["indicator"]["id"] in readable]
        quality = project.get("quality") if project.get("id") in quality_ids else None
        projects.append({**project, "indicators": rows, "quality": quality})
    narrow_feedback(projects, user)
    return {**figures, "projects": projects}
