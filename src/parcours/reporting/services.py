"""The only way to write reports: checked, versioned, audited.

A SITREP is written (narratives) by the project's coordinators and MEAL
officers and validated by its coordinators. A mission report covers every
project of the mission open during the period; it is written by who writes
the reports of all of them and validated by a coordinator of all of them
(the head of mission holds the coordinator role in each project: Parcours
has no mission-level role). Validation freezes the figures (a new
``ReportVersion``); reopening keeps that version and makes the report a
draft again; validating again adds a version.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.access.module_scopes import report_validate_projects, report_write_projects
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.meal.periods import Period
from parcours.org.models import Mission, Project
from parcours.reporting.figures import report_figures
from parcours.reporting.models import (
    NARRATIVE_FIELDS,
    NARRATIVE_MAX_LENGTH,
    Kind,
    Report,
    ReportVersion,
)

REOPEN_REASON_MAX = 500


class StaleReport(Exception):
    def __init__(self, report):
        super().__init__(f"report {report.pk} is at version {report.version}")
        self.report = report


@dataclass(frozen=True)
class Subject:
    """What a report is about: one project (SITREP) or a mission."""

    kind: str
    project: Project | None = None
    mission: Mission | None = None

    @property
    def key(self) -> dict:
        if self.kind == Kind.SITREP:
            return {"kind": Kind.SITREP, "project": self.project}
        return {"kind": Kind.MISSION, "mission": self.mission}

    @property
    def audit_project(self):
        return self.project

    def projects(self, period: Period) -> list[Project]:
        if self.kind == Kind.SITREP:
            return [self.project]
        return covered_projects(self.mission, period)


def covered_projects(mission, period: Period) -> list[Project]:
    """The mission's projects open at some time during the period."""
    return [
        p
        for p in Project.objects.filter(mission=mission).order_by("name")
        if period.overlaps(p.opened_on, p.closed_on)
    ]


def check_period(subject: Subject, period: Period, *, today=None) -> None:
    """A SITREP is monthly, a mission report quarterly or yearly; the period
    has started and is within the project's (or one of the mission's) dates."""
    today = today or timezone.localdate()
    if subject.kind == Kind.SITREP and period.kind != "month":
        raise ValidationError({"period": [_("A SITREP covers one month, e.g. 2026-10.")]})
    if subject.kind == Kind.MISSION and period.kind not in ("quarter", "year"):
        raise ValidationError(
            {"period": [_("A mission report covers a quarter (2026-Q4) or a year (2026).")]}
        )
    if period.start > today:
        raise ValidationError({"period": [_("This period has not started yet.")]})
    if subject.kind == Kind.SITREP:
        project = subject.project
        if not period.overlaps(project.opened_on, project.closed_on):
            raise ValidationError({"period": [_("This period is outside the project's dates.")]})
    elif not subject.projects(period):
        raise ValidationError(
            {"period": [_("No project of this mission was open in this period.")]}
        )


def may_write(user, subject: Subject, period: Period) -> bool:
    ids = {p.pk for p in subject.projects(period)}
    return bool(ids) and ids <= report_write_projects(user)


def may_validate(user, subject: Subject, period: Period) -> bool:
    ids = {p.pk for p in subject.projects(period)}
    return bool(ids) and ids <= report_validate_projects(user)


def find_report(subject: Subject, period: Period) -> Report | None:
    return Report.objects.filter(period=period.code, **subject.key).first()


def _locked(subject: Subject, period: Period) -> Report | None:
    return (
        Report.objects.select_for_update(of=("self",))
        .filter(period=period.code, **subject.key)
        .first()
    )


def clean_narratives(data: dict) -> dict[str, str]:
    cleaned, errors = {}, {}
    for name in NARRATIVE_FIELDS:
        text = str(data.get(name, "") or "").replace("\r\n", "\n").strip()
        if len(text) > NARRATIVE_MAX_LENGTH:
            errors[name] = [_("At most %(n)d characters.") % {"n": NARRATIVE_MAX_LENGTH}]
        cleaned[name] = text
    if errors:
        raise ValidationError(errors)
    return cleaned


def _create(subject: Subject, period: Period, **fields) -> Report:
    try:
        with transaction.atomic():
            return Report.objects.create(period=period.code, **subject.key, **fields)
    except IntegrityError:
        # Someone wrote the first version at the same moment: theirs stands.
        raise StaleReport(_locked(subject, period)) from None


def report_save(*, actor, subject: Subject, period: Period, data: dict, version: int, now=None):
    """Write the narratives. ``version``: the one the writer read (0 when
    there was no report yet); another raises StaleReport."""
    if not may_write(actor, subject, period):
        raise PermissionDenied(_("You do not write this report."))
    check_period(subject, period)
    narratives = clean_narratives(data)
    now = now or timezone.now()
    with transaction.atomic():
        report = _locked(subject, period)
        if report is None:
            if version:
                raise ValidationError(_("This report no longer exists: reload the page."))
            report = _create(subject, period, written_by=actor, written_at=now, **narratives)
            changed = [n for n in NARRATIVE_FIELDS if narratives[n]]
        else:
            if report.version != version:
                raise StaleReport(report)
            if report.is_validated:
                raise ValidationError(_("This report is validated: reopen it before changing it."))
            changed = [n for n in NARRATIVE_FIELDS if getattr(report, n) != narratives[n]]
            if not changed:
                return report
            for name in changed:
                setattr(report, name, narratives[name])
            report.written_by = actor
            report.written_at = now
            report.version += 1
            report.save()
        audit.record(
            actor=actor,
            event=Event.REPORT_SAVE,
            subject=report,
            project=subject.audit_project,
            extra={"period": period.code, "fields": changed, "version": report.version},
        )
    return report


def report_validate(*, actor, subject: Subject, period: Period, version: int, now=None):
    """Freeze the figures as the validator reads them, and the narratives."""
    if not may_validate(actor, subject, period):
        raise PermissionDenied(_("Only a coordinator of the project validates this report."))
    check_period(subject, period)
    now = now or timezone.now()
    if period.end >= timezone.localdate(now):
        raise ValidationError(_("The period is not over yet: validate the report after it ends."))
    projects = subject.projects(period)
    with transaction.atomic():
        report = _locked(subject, period)
        if report is None:
            if version:
                raise ValidationError(_("This report no longer exists: reload the page."))
            report = _create(subject, period)
        elif report.version != version:
            raise StaleReport(report)
        elif report.is_validated:
            raise ValidationError(_("This report is already validated."))
        number = report.versions.count() + 1
        frozen = ReportVersion.objects.create(
            report=report,
            number=number,
            figures=report_figures(projects, period, user=actor, outside=False),
            figures_outside=report_figures(projects, period, user=actor, outside=True),
            narratives=report.narratives(),
            validated_by=actor,
            validated_at=now,
        )
        report.validated = frozen
        report.version += 1
        report.save()
        audit.record(
            actor=actor,
            event=Event.REPORT_VALIDATE,
            subject=report,
            project=subject.audit_project,
            extra={"period": period.code, "number": number, "version": report.version},
        )
    return report


def report_reopen(*, actor, subject: Subject, period: Period, version: int, reason: str, now=None):
    """Make a validated report a draft again; its validated version stays."""
    if not may_validate(actor, subject, period):
        raise PermissionDenied(_("Only a coordinator of the project reopens this report."))
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the report is reopened.")]})
    if len(reason) > REOPEN_REASON_MAX:
        raise ValidationError(
            {"reason": [_("At most %(n)d characters.") % {"n": REOPEN_REASON_MAX}]}
        )
    now = now or timezone.now()
    with transaction.atomic():
        report = _locked(subject, period)
        if report is None:
            raise ValidationError(_("This report no longer exists: reload the page."))
        if report.version != version:
            raise StaleReport(report)
        if not report.is_validated:
            raise ValidationError(_("This report is not validated: there is nothing to reopen."))
        frozen = report.validated
        frozen.reopened_by = actor
        frozen.reopened_at = now
        frozen.reopen_reason = reason
        frozen.save(update_fields=["reopened_by", "reopened_at", "reopen_reason"])
        report.validated = None
        report.version += 1
        report.save()
        audit.record(
            actor=actor,
            event=Event.REPORT_REOPEN,
            subject=report,
            project=subject.audit_project,
            extra={"period": period.code, "number": frozen.number, "reason": reason},
        )
    return report


def report_downloaded(*, actor, subject: Subject, period: Period, report, fmt: str) -> None:
    """A download is a copy leaving the application: it is recorded."""
    audit.record(
        actor=actor,
        event=Event.REPORT_DOWNLOAD,
        subject=report if report is not None else subject.project or subject.mission,
        project=subject.audit_project,
        extra={
            "kind": subject.kind,
            "period": period.code,
            "format": fmt,
            "version": report.validated.number if report and report.is_validated else None,
        },
    )
