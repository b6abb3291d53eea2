"""E-mail reminders of overdue tasks (``parcours remind``), idempotent.

One e-mail per task and due date, to the task's owner, when an e-mail host
is configured (PARCOURS_EMAIL_HOST). The message names no person: it gives
the case number and a link; the page then checks access as always."""

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.cases.models import OPEN_TASK_STATUSES, Case, Task, TaskReminder
from parcours.lib.reminders import RemindReport


def send_reminders(*, base_url: str = "", today=None, now=None) -> RemindReport:
    today = today or timezone.localdate()
    now = now or timezone.now()
    report = RemindReport()
    tasks = (
        Task.objects.filter(
            status__in=OPEN_TASK_STATUSES, due_on__lt=today, case__status=Case.Status.OPEN
        )
        .select_related("owner", "case", "case__project")
        .order_by("owner_id", "due_on")
    )
    for task in tasks:
        report.due += 1
        if TaskReminder.objects.filter(task=task, due_on=task.due_on).exists():
            report.already += 1
            continue
        owner = task.owner
        if not owner.email or not owner.is_active:
            report.no_address += 1
            continue
        try:
            with transaction.atomic():
                TaskReminder.objects.create(task=task, due_on=task.due_on, sent_at=now)
                with translation.override(getattr(owner, "language", "") or "fr"):
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
                send_mail(subject, body, None, [owner.email])
                audit.record(
                    actor=None,
                    event=Event.CASE_TASK_REMIND,
                    subject=task,
                    project=task.case.project,
                    extra={"due_on": task.due_on.isoformat(), "owner": owner.pk},
                )
        except IntegrityError:
            report.already += 1
            continue
        report.sent += 1
    return report
