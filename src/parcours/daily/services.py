"""The only way to write daily reports: checked, versioned, audited.

The team members who record activities in the project (and its
coordinators) write the notes; a coordinator validates the report. A
validated report edited again goes back to "not validated".
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.access.module_scopes import (
    daily_report_validate_projects,
    daily_report_write_projects,
)
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.daily.models import NOTE_FIELDS, DailyReport
from parcours.daily.validation import check_day, clean_notes


class StaleReport(Exception):
    def __init__(self, report):
        super().__init__(f"daily report {report.pk} is at version {report.version}")
        self.report = report


def _check_site(project, site) -> None:
    if site is not None and site.project_id != project.pk:
        raise ValidationError({"site": [_("Choose a site of this project.")]})


def _locked(project, site, day):
    return (
        DailyReport.objects.select_for_update(of=("self",))
        .filter(project=project, site=site, date=day)
        .first()
    )


def daily_report_save(*, actor, project, site, day, data: dict, version: int, now=None):
    """Write the team notes of ``project`` (``site``: one of its sites, or None
    for the whole project) on ``day``. ``version``: the one the writer read
    (0 when there was no report yet); another raises StaleReport."""
    if project.pk not in daily_report_write_projects(actor):
        raise PermissionDenied(_("You do not write the daily reports of this project."))
    now = now or timezone.now()
    _check_site(project, site)
    check_day(day, timezone.localtime(now).date())
    notes = clean_notes(data)
    with transaction.atomic():
        report = _locked(project, site, day)
        if report is None:
            if version:
                raise ValidationError(_("This report no longer exists: reload the page."))
            if not any(notes.values()):
                return None  # nothing written: no report yet
            try:
                with transaction.atomic():
                    report = DailyReport.objects.create(
                        project=project,
                        site=site,
                        date=day,
                        written_by=actor,
                        written_at=now,
                        **notes,
                    )
            except IntegrityError:
                # Someone wrote the first version of this report at the same
                # moment: theirs stands, this writer is told to compare.
                raise StaleReport(_locked(project, site, day)) from None
            changed, unvalidated = [n for n in NOTE_FIELDS if notes[n]], False
        else:
            if report.version != version:
                raise StaleReport(report)
            changed = [n for n in NOTE_FIELDS if getattr(report, n) != notes[n]]
            if not changed:
                return report
            for name in changed:
                setattr(report, name, notes[name])
            unvalidated = report.is_validated
            report.validated_by = None
            report.validated_at = None
            report.written_by = actor
            report.written_at = now
            report.version += 1
            report.save()
        # The notes stay in the report: the trail says which ones changed.
        audit.record(
            actor=actor,
            event=Event.DAILY_REPORT_SAVE,
            subject=report,
            project=project,
            extra={
                "date": day.isoformat(),
                "site": site,
                "fields": changed,
                "version": report.version,
                "validation_withdrawn": unvalidated,
            },
        )
    return report


def daily_report_validate(*, actor, project, site, day, version: int, now=None):
    """The coordinator validates the report of ``day`` as the team wrote it
    (a day without notes is validated as such). ``version``: the one read."""
    if project.pk not in daily_report_validate_projects(actor):
        raise PermissionDenied(_("Only a coordinator of the project validates its daily reports."))
    now = now or timezone.now()
    _check_site(project, site)
    check_day(day, timezone.localtime(now).date())
    with transaction.atomic():
        report = _locked(project, site, day)
        if report is None:
            if version:
                raise ValidationError(_("This report no longer exists: reload the page."))
            report = DailyReport(
                project=project, site=site, date=day, written_by=actor, written_at=now
            )
        elif report.version != version:
            raise StaleReport(report)
        elif report.is_validated:
            return report
        else:
            report.version += 1
        report.validated_by = actor
        report.validated_at = now
        report.save()
        audit.record(
            actor=actor,
            event=Event.DAILY_REPORT_VALIDATE,
            subject=report,
            project=project,
            extra={"date": day.isoformat(), "site": site, "version": report.version},
        )
    return report
