"""The periodic jobs of an installation and when each is due.

Each job calls the same service code as its management command (``remind``,
``remind_referrals``, ``retention``, ``dataquality``, ``audit verify``, ``backup``), so there is one
way to do the work; ``parcours worker`` (``ops/worker.py``) queues a job when
its slot comes and runs it through django-tasks. A job returns counts (shown
on the runs page, translated when read), never names or record ids. A job
that cannot work in this installation (no e-mail host, no backup folder)
says why and is not queued.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, time, timedelta
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parcours.audit import integrity
from parcours.cases.reminders import send_reminders
from parcours.gdpr.services import retention_run
from parcours.lib.reminders import email_configured
from parcours.meal.periods import Period
from parcours.meal.warming import warm
from parcours.network.reminders import send_referral_reminders
from parcours.ops import backup
from parcours.org.models import Project, Status
from parcours.quality.evaluate import full_scope, summarise
from parcours.quality.months import month_of


class JobFailed(Exception):
    """A job that ran to its end but found something wrong (a broken audit chain)."""


@dataclass(frozen=True)
class Hourly:
    def slot(self, now: datetime) -> datetime:
        return timezone.localtime(now).replace(minute=0, second=0, microsecond=0)

    def __str__(self) -> str:
        return _("every hour")


@dataclass(frozen=True)
class Daily:
    at: time

    def slot(self, now: datetime) -> datetime:
        """Today at ``at`` (local time) once that time has come, else yesterday's.
        A worker that was down at that time catches up once, not once per day missed."""
        local = timezone.localtime(now)
        slot = local.replace(hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0)
        return slot if slot <= local else slot - timedelta(days=1)

    def __str__(self) -> str:
        return _("every day at %(time)s") % {"time": self.at.strftime("%H:%M")}


@dataclass(frozen=True)
class Job:
    code: str
    label: str
    schedule: Hourly | Daily
    run: Callable[[datetime], dict]  # slot -> counts
    describe: Callable[[dict], str]  # counts -> one line for the runs page
    off_because: Callable[[], str] = lambda: ""  # non-empty: not queued, and why


# -- the jobs ----------------------------------------------------------------


def _reminders(slot: datetime) -> dict:
    return asdict(send_reminders(base_url=settings.PARCOURS_BASE_URL.rstrip("/")))


def _reminders_text(result: dict) -> str:
    return (
        _(
            "%(due)d overdue task(s): %(sent)d reminder(s) sent, %(already)d already sent, "
            "%(no_address)d owner(s) without an address."
        )
        % result
    )


def _reminders_off() -> str:
    return "" if email_configured() else _("No e-mail host configured (PARCOURS_EMAIL_HOST).")


def _referral_reminders(slot: datetime) -> dict:
    return asdict(send_referral_reminders(base_url=settings.PARCOURS_BASE_URL.rstrip("/")))


def _referral_reminders_text(result: dict) -> str:
    return (
        _(
            "%(due)d overdue referral(s): %(sent)d reminder(s) sent, %(already)d already sent, "
            "%(no_address)d owner(s) without an address."
        )
        % result
    )


def _retention(slot: datetime) -> dict:
    report = retention_run(today=timezone.localtime(slot).date()).report
    return {
        "anonymised": len(report["anonymised"]),
        "held": len(report["held"]),
        "access_log_deleted": report["access_log_deleted"],
        "audit_deleted": report["audit_deleted"],
    }


def _retention_text(result: dict) -> str:
    return (
        _(
            "%(anonymised)d anonymised, %(held)d kept under a legal hold, %(access_log_deleted)d "
            "access-log rows and %(audit_deleted)d audit events past their period removed."
        )
        % result
    )


def _data_quality(slot: datetime) -> dict:
    """The month so far, every open project, every check (counts only)."""
    month = month_of(timezone.localtime(slot).date())
    scope = full_scope()
    projects = {}
    for project in Project.objects.exclude(status=Status.CLOSED).order_by("code"):
        summary = summarise(project, month, scope)
        projects[project.code] = {
            "score": summary.score,
            "checked": summary.checked,
            "with_findings": summary.with_findings,
        }
    return {
        "month": month.code,
        "projects": projects,
        "checked": sum(p["checked"] for p in projects.values()),
        "with_findings": sum(p["with_findings"] for p in projects.values()),
    }


def _data_quality_text(result: dict) -> str:
    return _(
        "%(month)s: %(projects)d project(s), %(with_findings)d of %(checked)d records with a finding."
    ) % {**result, "projects": len(result["projects"])}


def _audit_verify(slot: datetime) -> dict:
    rows = {}
    for table in integrity.TABLES:
        result = integrity.verify(table)
        if not result.intact:
            raise JobFailed(f"{table}: chain broken: {result.breaks[0].message}")
        rows[table] = result.rows
    return {"audit_event": rows["audit_event"], "access_log": rows["access_log"]}


def _audit_verify_text(result: dict) -> str:
    return (
        _("Both chains intact: %(audit_event)d audit events, %(access_log)d access-log rows.")
        % result
    )


def _backup_folder() -> Path:
    return Path(settings.PARCOURS_BACKUP_DIR)


def _backup(slot: datetime) -> dict:
    dest = _backup_folder() / f"parcours-{timezone.localtime(slot):%Y-%m-%d}.pcbk"
    if dest.exists():  # this slot's archive was written by an earlier attempt
        return {"file": dest.name, "written": False, "bytes": dest.stat().st_size}
    try:
        backup.create(dest)
    except backup.RestoreError as error:
        raise JobFailed(str(error)) from None
    return {"file": dest.name, "written": True, "bytes": dest.stat().st_size}


def _backup_text(result: dict) -> str:
    if not result["written"]:
        return _("%(file)s was already written.") % result
    return _("%(file)s written (%(bytes)d bytes, encrypted).") % result


def _backup_off() -> str:
    if not settings.PARCOURS_BACKUP_DIR:
        return _("No backup folder configured (PARCOURS_BACKUP_DIR).")
    if not _backup_folder().is_dir():
        return _("The backup folder %(folder)s does not exist.") % {
            "folder": settings.PARCOURS_BACKUP_DIR
        }
    return ""


def _meal_figures(slot: datetime) -> dict:
    """Last month's figures, and its twelve-month trend, counted ahead of the
    dashboards' readers for every open project (kept until a record changes)."""
    last_month = Period.containing(timezone.localtime(slot).date()).previous()
    projects = Project.objects.exclude(status=Status.CLOSED).order_by("code")
    counted = sum(warm(project, [last_month]) for project in projects)
    return {"month": last_month.code, "projects": counted}


def _meal_figures_text(result: dict) -> str:
    return _("%(month)s and its trend counted ahead for %(projects)d project(s).") % result


# Finished task rows of the queue are kept this long; the runs stay on the page.
TASK_RESULTS_KEPT = timedelta(days=30)


def _housekeeping(slot: datetime) -> dict:
    """Expired sessions (Django's ``clearsessions``) and old rows of the task queue."""
    from django.contrib.sessions.models import Session
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    sessions = 0
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        sessions = Session.objects.filter(expire_date__lt=now).count()
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    old = DBTaskResult.objects.finished().filter(finished_at__lt=now - TASK_RESULTS_KEPT)
    tasks, _counts = old.delete()
    return {"sessions": sessions, "tasks": tasks}


def _housekeeping_text(result: dict) -> str:
    return _("%(sessions)d expired session(s) and %(tasks)d old queue row(s) removed.") % result


JOBS: dict[str, Job] = {
    job.code: job
    for job in (
        Job(
            "reminders",
            gettext_lazy("Overdue task reminders"),
            Hourly(),
            _reminders,
            _reminders_text,
            _reminders_off,
        ),
        Job(
            "referral_reminders",
            gettext_lazy("Overdue referral reminders"),
            Hourly(),
            _referral_reminders,
            _referral_reminders_text,
            _reminders_off,
        ),
        Job(
            "backup",
            gettext_lazy("Backup"),
            Daily(time(1, 0)),
            _backup,
            _backup_text,
            _backup_off,
        ),
        Job(
            "retention",
            gettext_lazy("Retention rules"),
            Daily(time(2, 0)),
            _retention,
            _retention_text,
        ),
        Job(
            "audit_verify",
            gettext_lazy("Audit trail verification"),
            Daily(time(3, 0)),
            _audit_verify,
            _audit_verify_text,
        ),
        Job(
            "dataquality",
            gettext_lazy("Data-quality checks"),
            Daily(time(3, 30)),
            _data_quality,
            _data_quality_text,
        ),
        Job(
            "meal_figures",
            gettext_lazy("MEAL figures of last month"),
            Daily(time(5, 0)),
            _meal_figures,
            _meal_figures_text,
        ),
        Job(
            "housekeeping",
            gettext_lazy("Expired sessions and old queue rows"),
            Daily(time(4, 0)),
            _housekeeping,
            _housekeeping_text,
        ),
    )
}
