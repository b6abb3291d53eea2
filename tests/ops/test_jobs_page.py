"""The periodic-jobs page: runs listed for configuration administrators
(paged, filtered), a job run by hand (POST, audited), 404 for everyone else."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from parcours.audit.events import Event
from parcours.audit.models import AuditEvent
from parcours.ops.models import JobRun
from tests.personas import CALAIS_ROLES

NON_ADMINS = [p for p in CALAIS_ROLES if p != "admin"] + ["dunkerque_doctor", "referent", "nobody"]


@pytest.fixture
def runs(world):
    now = timezone.now()
    done = JobRun.objects.create(
        job="reminders",
        slot=now - timedelta(hours=1),
        status=JobRun.Status.SUCCEEDED,
        started_at=now,
        finished_at=now,
        result={"due": 14, "sent": 12, "already": 2, "no_address": 0},
    )
    failed = JobRun.objects.create(
        job="audit_verify",
        slot=now - timedelta(hours=2),
        status=JobRun.Status.FAILED,
        finished_at=now,
        error="JobFailed: audit_event: chain broken: row #7 altered",
    )
    return done, failed


def test_the_page_lists_runs_with_their_summary_and_error(world, login, runs):
    page = login(world.admin).get(reverse("ops:jobs")).content.decode()
    assert "12 reminder(s) sent" in page
    assert "chain broken: row #7 altered" in page
    assert "Overdue task reminders" in page and "Audit trail verification" in page
    assert "every day at 02:00" in page  # retention's schedule
    assert "No e-mail host configured" in page  # reminders are off in this installation


def test_runs_are_filtered_by_job_and_status(world, login, runs):
    client = login(world.admin)
    page = client.get(reverse("ops:jobs"), {"status": "failed"}).content.decode()
    assert "chain broken" in page and "12 reminder(s) sent" not in page
    page = client.get(reverse("ops:jobs"), {"job": "reminders"}).content.decode()
    assert "12 reminder(s) sent" in page and "chain broken" not in page


def test_runs_are_paged(world, login):
    start = timezone.now() - timedelta(days=100)
    JobRun.objects.bulk_create(
        JobRun(job="housekeeping", slot=start + timedelta(days=i), status="succeeded")
        for i in range(60)
    )
    client = login(world.admin)
    first = client.get(reverse("ops:jobs"))
    assert len(first.context["rows"]) == 50 and first.context["page"].paginator.num_pages == 2
    assert "&amp;page=2" in first.content.decode()  # the pager's link (includes/pager.html)
    assert len(client.get(reverse("ops:jobs"), {"page": 2}).context["rows"]) == 10


def test_run_now_queues_the_job_and_is_audited(world, login):
    client = login(world.admin)
    response = client.post(reverse("ops:job_run"), {"job": "retention"})
    assert response.status_code == 302
    run = JobRun.objects.get()
    assert (run.job, run.status, run.trigger, run.requested_by) == (
        "retention",
        "queued",
        "manual",
        world.admin,
    )
    assert DBTaskResult.objects.get(id=run.task_id).status == "READY"
    event = AuditEvent.objects.get(event=Event.SYSTEM_JOB_RUN)
    assert event.actor == world.admin and event.extra == {"job": "retention"}
    # Once queued, a second click queues nothing more.
    again = client.post(reverse("ops:job_run"), {"job": "retention"}, follow=True)
    assert "already queued or running" in again.content.decode()
    assert JobRun.objects.count() == 1


def test_run_now_refuses_an_unknown_or_switched_off_job(world, login):
    client = login(world.admin)
    page = client.post(reverse("ops:job_run"), {"job": "reminders"}, follow=True)
    assert "This job is off: No e-mail host configured" in page.content.decode()
    page = client.post(reverse("ops:job_run"), {"job": "nonsense"}, follow=True)
    assert "Choose one of the jobs listed." in page.content.decode()
    assert not JobRun.objects.exists() and not DBTaskResult.objects.exists()


def test_everyone_else_gets_404_and_queues_nothing(world, client, runs):
    for persona in NON_ADMINS:
        client.force_login(world.users[persona])
        assert client.get(reverse("ops:jobs")).status_code == 404, persona
        assert client.post(reverse("ops:job_run"), {"job": "retention"}).status_code == 404
    assert JobRun.objects.count() == 2 and not DBTaskResult.objects.exists()
    assert not AuditEvent.objects.exists()
    client.logout()
    response = client.get(reverse("ops:jobs"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_configuration_page_links_to_the_jobs(world, login):
    assert reverse("ops:jobs") in login(world.admin).get(reverse("org:index")).content.decode()
