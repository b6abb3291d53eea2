"""Queueing the periodic jobs and running one: the only writes of ``JobRun``.

``enqueue_due`` inserts one ``JobRun`` per job whose slot has come and
queues its task in the same transaction; the unique (job, slot) row makes a
second worker (or a restart) lose the race instead of queueing the job
again. ``run_job`` is the one task of the queue; it calls ``execute``, which
runs a queued run once: a task delivered twice finds its run no longer
queued and does nothing. A failing job is recorded failed both in the queue
(django-tasks keeps the traceback) and on its run (the error shown to
administrators).
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from parcours.access.scope import is_configuration_admin
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.ops.jobs import JOBS, Job
from parcours.ops.models import JobRun

ERROR_MAX = 2000
# A run still "running" this long after it started was abandoned: its worker
# was killed or the machine stopped. It is marked failed so that the page
# says so and "Run now" works again (no job takes near this long).
ABANDONED_AFTER = timedelta(hours=6)


def _queue(run: JobRun) -> JobRun:
    result = run_job.enqueue(run.pk)
    run.task_id = str(result.id)
    run.save(update_fields=["task_id"])
    return run


def fail_abandoned(now: datetime | None = None) -> int:
    """Mark failed the runs whose worker died during the run; return how many."""
    now = now or timezone.now()
    return JobRun.objects.filter(
        status=JobRun.Status.RUNNING, started_at__lt=now - ABANDONED_AFTER
    ).update(
        status=JobRun.Status.FAILED,
        finished_at=now,
        error=(
            f"Abandoned: no result {ABANDONED_AFTER.total_seconds() / 3600:.0f} hours after "
            "it started (the worker stopped during the run)."
        ),
    )


def enqueue_due(now: datetime | None = None) -> list[JobRun]:
    """Queue every job whose current slot has no run yet; return the runs queued."""
    now = now or timezone.now()
    fail_abandoned(now)
    queued = []
    for job in JOBS.values():
        if job.off_because():
            continue
        slot = job.schedule.slot(now)
        if JobRun.objects.filter(job=job.code, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                run = _queue(JobRun.objects.create(job=job.code, slot=slot))
        except IntegrityError:
            continue  # another worker queued this slot first
        queued.append(run)
    return queued


def run_now(*, actor, job_code: str) -> JobRun:
    """Queue a job by hand (configuration administrators), audited."""
    if not is_configuration_admin(actor):
        raise PermissionDenied
    job = JOBS.get(job_code)
    if job is None:
        raise ValidationError({"job": _("Choose one of the jobs listed.")})
    off = job.off_because()
    if off:
        raise ValidationError({"job": _("This job is off: %(reason)s") % {"reason": off}})
    with transaction.atomic():
        pending = JobRun.objects.filter(
            job=job.code, status__in=[JobRun.Status.QUEUED, JobRun.Status.RUNNING]
        )
        if pending.exists():
            raise ValidationError({"job": _("This job is already queued or running.")})
        run = _queue(
            JobRun.objects.create(
                job=job.code,
                slot=timezone.now(),
                trigger=JobRun.Trigger.MANUAL,
                requested_by=actor,
            )
        )
        audit.record(actor=actor, event=Event.SYSTEM_JOB_RUN, subject=run, extra={"job": job.code})
    return run


def _claim(run_id: int) -> JobRun | None:
    with transaction.atomic():
        run = JobRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != JobRun.Status.QUEUED:
            return None
        run.status = JobRun.Status.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at"])
    return run


def execute(run_id: int) -> dict:
    """Run a queued run's job; record its counts, or its error and re-raise
    (the task is then failed in the queue as well)."""
    run = _claim(run_id)
    if run is None:
        return {"skipped": "not queued"}
    job: Job | None = JOBS.get(run.job)
    try:
        if job is None:
            raise LookupError(f"no job named {run.job!r} in this version")
        result = job.run(run.slot)
    except BaseException as error:  # SystemExit too: a second SIGTERM ends the run
        run.status = JobRun.Status.FAILED
        # The first line only: a database error's DETAIL line quotes row values,
        # and this page is read by administrators, who read no personal data.
        first_line = str(error).strip().split("\n", 1)[0]
        run.error = f"{type(error).__name__}: {first_line}"[:ERROR_MAX]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        raise
    run.status = JobRun.Status.SUCCEEDED
    run.result = result
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "result", "finished_at"])
    return result


@task()
def run_job(run_id: int) -> dict:
    return execute(run_id)
