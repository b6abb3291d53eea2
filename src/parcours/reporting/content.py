"""What one reader sees of a report: the page, the downloads and the changes
between two validated versions are all built from this."""

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parcours.access.module_scopes import report_projects
from parcours.meal.periods import Period
from parcours.reporting.figures import narrowed, reads_outside, report_figures
from parcours.reporting.models import NARRATIVE_FIELDS, Kind, Report, ReportVersion
from parcours.reporting.services import Subject, find_report

NARRATIVE_LABELS = {
    "highlights": gettext_lazy("Highlights"),
    "context": gettext_lazy("Context"),
    "challenges": gettext_lazy("Challenges"),
    "next_steps": gettext_lazy("Next steps"),
}


@dataclass
class ReportContent:
    subject: Subject
    period: Period
    report: Report | None
    figures: dict
    narratives: dict[str, str]
    outside: bool
    frozen: ReportVersion | None = None
    versions: list[ReportVersion] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.subject.kind == Kind.SITREP:
            return _("Monthly SITREP")
        return _("Mission report")

    @property
    def subject_name(self) -> str:
        if self.subject.kind == Kind.SITREP:
            return self.subject.project.name
        return self.subject.mission.name

    @property
    def status(self) -> str:
        if self.frozen is not None:
            return _("Validated (version %(n)d)") % {"n": self.frozen.number}
        if self.versions:
            return _("Reopened: draft, figures counted now")
        return _("Draft: figures counted now")

    def narrative_sections(self) -> list[tuple[str, str, str]]:
        return [(n, str(NARRATIVE_LABELS[n]), self.narratives.get(n, "")) for n in NARRATIVE_FIELDS]

    def narrative_indicators(self) -> list[dict]:
        """The narrative indicators' texts, by project."""
        out = []
        for project in self.figures.get("projects", []):
            for row in project["indicators"]:
                if row["indicator"]["kind"] == "narrative":
                    out.append({"project": project["name"], **row})
        return out


def readable_projects(user, subject: Subject, period: Period):
    ids = report_projects(user)
    return [p for p in subject.projects(period) if p.pk in ids]


def report_content(user, subject: Subject, period: Period) -> ReportContent:
    report = find_report(subject, period)
    projects = readable_projects(user, subject, period)
    outside = reads_outside(user, [p.pk for p in projects])
    versions = list(report.versions.order_by("number")) if report else []
    frozen = report.validated if report and report.is_validated else None
    if frozen is not None:
        figures = narrowed(frozen.figures_outside if outside else frozen.figures, user)
        readable = {p.pk for p in projects}
        figures["projects"] = [p for p in figures["projects"] if p["id"] in readable]
        narratives = dict(frozen.narratives)
    else:
        figures = report_figures(projects, period, user=user, outside=outside)
        narratives = report.narratives() if report else dict.fromkeys(NARRATIVE_FIELDS, "")
    return ReportContent(
        subject=subject,
        period=period,
        report=report,
        figures=figures,
        narratives=narratives,
        outside=outside,
        frozen=frozen,
        versions=versions,
    )


def version_figures(user, version: ReportVersion, subject, period) -> dict:
    projects = readable_projects(user, subject, period)
    outside = reads_outside(user, [p.pk for p in projects])
    figures = narrowed(version.figures_outside if outside else version.figures, user)
    readable = {p.pk for p in projects}
    figures["projects"] = [p for p in figures["projects"] if p["id"] in readable]
    return figures


def _by_indicator(figures: dict) -> dict[tuple[str, str], dict]:
    return {
        (project["code"], row["indicator"]["code"]): {**row, "project": project["name"]}
        for project in figures.get("projects", [])
        for row in project["indicators"]
    }


def _cell(row: dict | None, key: str):
    if row is None:
        return "—"
    value = row.get(key)
    if key == "total":
        return row.get("total_display") or ("—" if value is None else value)
    if key == "text":
        return value or ""
    return "—" if value is None else value


def changes(user, subject, period, before: ReportVersion, after: ReportVersion) -> dict:
    """Figures and narratives of two versions side by side, changed ones marked."""
    old, new = (_by_indicator(version_figures(user, v, subject, period)) for v in (before, after))
    rows = []
    for key in list(new) + [k for k in old if k not in new]:
        a, b = old.get(key), new.get(key)
        row = b or a
        name = indicator_name(row)
        cells = []
        for label, attr in (
            (_("Value"), "total"),
            (_("Target"), "target"),
            (_("% achieved"), "achieved_pct"),
            (_("Text"), "text"),
        ):
            left, right = _cell(a, attr), _cell(b, attr)
            if attr == "text" and not left and not right:
                continue
            cells.append({"label": label, "before": left, "after": right, "changed": left != right})
        rows.append(
            {
                "project": row["project"],
                "code": key[1],
                "name": name,
                "cells": cells,
                "changed": any(c["changed"] for c in cells),
            }
        )
    narratives = [
        {
            "label": str(NARRATIVE_LABELS[n]),
            "before": before.narratives.get(n, ""),
            "after": after.narratives.get(n, ""),
            "changed": before.narratives.get(n, "") != after.narratives.get(n, ""),
        }
        for n in NARRATIVE_FIELDS
    ]
    quality = []
    old_q = {
        p["code"]: p.get("quality")
        for p in version_figures(user, before, subject, period)["projects"]
    }
    for project in version_figures(user, after, subject, period)["projects"]:
        q_new, q_old = project.get("quality"), old_q.get(project["code"])
        if q_new is None and q_old is None:
            continue
        left = "—" if not q_old or q_old["score"] is None else q_old["score"]
        right = "—" if not q_new or q_new["score"] is None else q_new["score"]
        quality.append(
            {"project": project["name"], "before": left, "after": right, "changed": left != right}
        )
    return {"indicators": rows, "narratives": narratives, "quality": quality}


def _is_french() -> bool:
    return (translation.get_language() or "fr").startswith("fr")


def indicator_name(row: dict) -> str:
    indicator = row["indicator"]
    if _is_french():
        return indicator.get("name_fr") or indicator.get("name_en") or indicator["code"]
    return indicator.get("name_en") or indicator.get("name_fr") or indicator["code"]
