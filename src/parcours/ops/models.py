"""Runs of the periodic jobs (``parcours.ops.jobs``), one row per job and slot.

The unique (job, slot) pair is what makes scheduling idempotent: two
workers, or one restarted, that find the same job due for the same slot
both try to insert the row and only one succeeds, so the job is queued
once. The task queue itself is django-tasks' database table
(``django_tasks_db.DBTaskResult``); a run points to its task by id.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    NOT_PERSONAL_DATA_BECAUSE = (
        "a periodic job's schedule, status and counts; no person, no record id"
    )

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Schedule")
        MANUAL = "manual", _("By hand")

    job = models.CharField(_("job"), max_length=40)
    # The time the run stands for: the start of its hourly or daily period for
    # a scheduled run, the moment of the request for a run by hand.
    slot = models.DateTimeField(_("slot"))
    trigger = models.CharField(
        _("started by"), max_length=16, choices=Trigger.choices, default=Trigger.SCHEDULE
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    enqueued_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Counts the job returned (what the page summarises); never names.
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-enqueued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="ops_jobrun_one_per_slot")
        ]
        indexes = [models.Index(fields=["status", "-enqueued_at"], name="ops_jobrun_status_idx")]

    def __str__(self) -> str:
        return f"{self.job} {self.slot:%Y-%m-%d %H:%M} {self.status}"
