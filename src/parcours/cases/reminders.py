"""E-mail reminders of overdue tasks (``parcours remind``), idempotent.

One e-mail per task and due date, to the task's owner, when an e-mail host
is configured (PARCOURS_EMAIL_HOST). The message names no person: it gives
the case number and a link; the page then checks access as always."""

from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.cases.models import OPEN_TASK_STATUSES, Case, Task, TaskReminder
from parcours.lib.reminders import RemindReport, mail_owner, remind_each


def send_reminders(*, base_url: str = "", today=None, now=None) -> RemindReport:
    today = today or timezone.localdate()
    now = now or timezone.now()
    tasks = (
        Task.objects.filter(
            status__in=OPEN_TASK_STATUSES, due_on__lt=today, case__status=Case.Status.OPEN
        )
        .select_related("owner", "case", "case__project")
        .order_by("owner_id", "due_on")
    )

    def compose(task):
        subject = _("Parcours: task overdue in case #%(case)d") % {"case": task.case_id}
        body = _(
            "A task you own is overdue since %(due)s (case #%(case)d, %(project)s).\n"
            "Open it in Parcours: %(url)s"
        ) % {
            "due": task.due_on.strftime("%d/%m/%Y"),
            "case": task.case_id,
            "project": task.case.project.name,
            "url": f"{base_url}/cases/case/{task.case_id}/",
        }
        return subject, body

    def send(task, owner):
        TaskReminder.objects.create(task=task, due_on=task.due_on, sent_at=now)
        mail_owner(owner, lambda: compose(task))
        audit.record(
            actor=None,
            event=Event.CASE_TASK_REMIND,
            subject=task,
            project=task.case.project,
            extra={"due_on": task.due_on.isoformat(), "owner": owner.pk},
        )

    return remind_each(
        tasks,
        already_sent=lambda task: TaskReminder.objects.filter(
            task=task, due_on=task.due_on
        ).exists(),
        send=send,
    )
