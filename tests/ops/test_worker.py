"""``parcours worker``: periodic jobs queued once per slot, run through
django-tasks' database queue, failures recorded without stopping the rest.

The worker closes stale connections between tasks as a long-running process
must, so these tests run outside a test transaction (transaction=True)."""

import os
import signal
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from parcours.audit import integrity
from parcours.audit.models import AuditEvent
from parcours.cases import casework
from parcours.cases.models import Task
from parcours.meal.periods import Period
from parcours.ops import scheduler
from parcours.ops.jobs import JOBS
from parcours.ops.models import JobRun
from parcours.ops.worker import Worker
from parcours.org.models import Project, Status

pytestmark = pytest.mark.django_db(transaction=True)

PARIS = ZoneInfo("Europe/Paris")
ALWAYS_ON = {"retention", "audit_verify", "dataquality", "meal_figures", "housekeeping"}


@pytest.fixture
def mail_on(settings):
    settings.EMAIL_HOST = "smtp.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _statuses() -> dict[str, str]:
    return dict(JobRun.objects.values_list("job", "status"))


def test_once_runs_each_due_job_once_and_not_twice(world, capsys):
    call_command("worker", "--once")
    assert "ran 5 task(s)" in capsys.readouterr().out
    # No e-mail host, no backup folder: those two jobs are off, the rest ran.
    assert _statuses() == dict.fromkeys(ALWAYS_ON, "succeeded")
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    run = JobRun.objects.get(job="audit_verify")
    assert run.started_at and run.finished_at and run.task_id
    assert run.result == {"audit_event": 0, "access_log": 0}
    # Last month's MEAL figures counted ahead, for every open project.
    figures = JobRun.objects.get(job="meal_figures").result
    last_month = Period.containing(timezone.localdate()).previous()
    open_projects = Project.objects.exclude(status=Status.CLOSED).count()
    assert figures == {"month": last_month.code, "projects": open_projects} and open_projects

    call_command("worker", "--once")  # same slots: nothing queued, nothing run
    assert "nothing due; ran 0 task(s)" in capsys.readouterr().out
    assert JobRun.objects.count() == 5
    assert DBTaskResult.objects.count() == 5


def test_a_failing_job_is_recorded_and_the_next_jobs_still_run(world, make_person):
    make_person()  # writes audit events
    target = AuditEvent.objects.order_by("id").first()
    with transaction.atomic(), connection.cursor() as cursor:  # tampering, as in tests/audit
        cursor.execute(integrity.GATE_OPEN)
        cursor.execute("UPDATE audit_auditevent SET subject_id = '999' WHERE id = %s", [target.id])
        cursor.execute(integrity.GATE_CLOSE)

    call_command("worker", "--once")

    failed = JobRun.objects.get(job="audit_verify")
    assert failed.status == JobRun.Status.FAILED
    assert failed.error.startswith("JobFailed: audit_event: chain broken")
    assert f"#{target.id}" in failed.error
    assert failed.finished_at is not None and failed.result == {}
    # Jobs queued after it in the same round ran.
    assert _statuses() == {**dict.fromkeys(ALWAYS_ON, "succeeded"), "audit_verify": "failed"}
    task = DBTaskResult.objects.get(id=failed.task_id)
    assert task.status == "FAILED" and "chain broken" in task.traceback


def test_reminders_are_sent_by_the_hourly_job_once_per_task(world, make_person, mail_on):
    world.psychologist.email = "psy@example.org"
    world.psychologist.save()
    case = casework.case_open(
        actor=world.social_worker,
        person=make_person(given_name="Yonas"),
        project=world.calais,
        worker=world.social_worker,
        risk_level="high",
        needs=["housing"],
    )
    task = casework.task_create(
        actor=world.social_worker,
        case=case,
        title="AME application",
        owner=world.psychologist,
        due_on=timezone.localdate(),
    )
    Task.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - timedelta(days=2))

    call_command("worker", "--once")
    first = JobRun.objects.get(job="reminders")
    assert first.status == "succeeded"
    assert first.result == {"due": 1, "sent": 1, "already": 0, "no_address": 0}
    assert len(mail.outbox) == 1

    # The next hour: a new slot, the job runs again and sends nothing new.
    queued = scheduler.enqueue_due(timezone.now() + timedelta(hours=1))
    assert sorted(run.job for run in queued) == ["referral_reminders", "reminders"]
    assert Worker().run_queued() == 2
    second = JobRun.objects.get(pk=next(r.pk for r in queued if r.job == "reminders"))
    assert second.result == {"due": 1, "sent": 0, "already": 1, "no_address": 0}
    assert len(mail.outbox) == 1


def test_a_task_delivered_twice_runs_its_job_once(world):
    (run,) = [r for r in scheduler.enqueue_due() if r.job == "housekeeping"]
    assert scheduler.execute(run.pk) == {"sessions": 0, "tasks": 0}
    finished = JobRun.objects.get(pk=run.pk)
    assert scheduler.execute(run.pk) == {"skipped": "not queued"}
    assert JobRun.objects.get(pk=run.pk).finished_at == finished.finished_at


def test_sigterm_stops_the_worker_after_its_round(world):
    worker = Worker(interval=60)
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    worker.install_signals()
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM))
    try:
        timer.start()
        worker.run_forever()  # returns within about a second of the signal, not after 60 s
    finally:
        timer.cancel()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    assert worker.stopping
    assert set(_statuses()) <= set(JOBS)


# -- slots, without running anything ------------------------------------------


@pytest.mark.django_db
def test_slots_follow_the_schedule(world, mail_on):
    def queued_at(hour, minute, day=1):
        moment = datetime(2026, 12, day, hour, minute, tzinfo=PARIS)
        return sorted(run.job for run in scheduler.enqueue_due(moment))

    # 01:59 on 1 December: yesterday's daily slots are due, and this hour's reminders.
    assert queued_at(1, 59) == sorted(ALWAYS_ON | {"reminders", "referral_reminders"})
    assert queued_at(1, 59) == []  # the same slots again: nothing
    assert queued_at(1, 30) == []
    assert queued_at(2, 0) == [
        "referral_reminders",
        "reminders",
        "retention",
    ]  # a new hour; retention's 02:00
    assert queued_at(2, 59) == []
    assert queued_at(3, 45) == ["audit_verify", "dataquality", "referral_reminders", "reminders"]
    slots = JobRun.objects.filter(job="retention").order_by("slot").values_list("slot", flat=True)
    assert [s.astimezone(PARIS) for s in slots] == [
        datetime(2026, 11, 30, 2, 0, tzinfo=PARIS),
        datetime(2026, 12, 1, 2, 0, tzinfo=PARIS),
    ]


@pytest.mark.django_db
def test_one_row_per_job_and_slot_is_enforced_by_the_database(world):
    slot = timezone.now().replace(microsecond=0)
    JobRun.objects.create(job="retention", slot=slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        JobRun.objects.create(job="retention", slot=slot)


def test_the_backup_job_writes_one_archive_per_night(world, settings, tmp_path):
    settings.PARCOURS_BACKUP_DIR = str(tmp_path / "missing")
    assert "does not exist" in JOBS["backup"].off_because()
    settings.PARCOURS_BACKUP_DIR = str(tmp_path)
    settings.MEDIA_ROOT = tmp_path / "media"
    assert JOBS["backup"].off_because() == ""

    call_command("worker", "--once")
    run = JobRun.objects.get(job="backup")
    assert run.status == "succeeded", run.error
    archive = tmp_path / run.result["file"]
    assert run.result["written"] and archive.stat().st_size == run.result["bytes"] > 0
    # A second attempt for the same night (a run by hand) keeps the archive.
    assert JOBS["backup"].run(run.slot)["written"] is False
    assert list(tmp_path.glob("*.pcbk")) == [archive]


def test_a_run_abandoned_by_a_dead_worker_is_marked_failed(world):
    now = timezone.now()
    stuck = JobRun.objects.create(
        job="retention",
        slot=now - timedelta(days=1),
        status=JobRun.Status.RUNNING,
        started_at=now - timedelta(hours=7),
    )
    recent = JobRun.objects.create(
        job="dataquality",
        slot=now - timedelta(days=1),
        status=JobRun.Status.RUNNING,
        started_at=now - timedelta(minutes=5),
    )
    assert scheduler.fail_abandoned(now) == 1
    stuck.refresh_from_db()
    assert stuck.status == "failed" and stuck.error.startswith("Abandoned")
    assert JobRun.objects.get(pk=recent.pk).status == "running"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent connections")
def test_two_workers_at_once_queue_each_slot_once(world):
    now = timezone.now()
    start = threading.Barrier(2)
    queued, errors = [], []

    def worker():
        try:
            start.wait()
            queued.extend(run.job for run in scheduler.enqueue_due(now))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(queued) == sorted(ALWAYS_ON)
    assert JobRun.objects.count() == len(ALWAYS_ON) == DBTaskResult.objects.count()
