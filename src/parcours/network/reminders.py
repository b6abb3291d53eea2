"""E-mail reminders of overdue referrals (``parcours remind_referrals``),
idempotent, the twin of cases' task reminders (``parcours remind``).

One e-mail per referral and follow-up date, to the referral's owner, when an
e-mail host is configured (PARCOURS_EMAIL_HOST). The message names no person
and no receiving organisation: it gives the referral number and a link; the
page then checks access as always."""

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.lib.reminders import RemindReport
from parcours.network.choices import OPEN_STATUSES
from parcours.network.models import Referral, ReferralReminder


def send_referral_reminders(*, base_url: str = "", today=None, now=None) -> RemindReport:
    today = today or timezone.localdate()
    now = now or timezone.now()
    report = RemindReport()
    referrals = (
        Referral.objects.filter(status__in=OPEN_STATUSES, follow_up_on__lt=today)
        .select_related("owner", "project")
        .order_by("owner_id", "follow_up_on", "id")
    )
    for referral in referrals:
        report.due += 1
        if ReferralReminder.objects.filter(
            referral=referral, follow_up_on=referral.follow_up_on
        ).exists():
            report.already += 1
            continue
        owner = referral.owner
        if not owner.email or not owner.is_active:
            report.no_address += 1
            continue
        try:
            with transaction.atomic():
                ReferralReminder.objects.create(
                    referral=referral, follow_up_on=referral.follow_up_on, sent_at=now
                )
                with translation.override(getattr(owner, "language", "") or "fr"):
                    subject = _("Parcours: referral #%(referral)d to follow up") % {
                        "referral": referral.pk
                    }
                    body = _(
                        "A referral you made was to be followed up on %(date)s "
                        "(referral #%(referral)d, %(project)s).\n"
                        "Open it in Parcours: %(url)s"
                    ) % {
                        "date": referral.follow_up_on.strftime("%d/%m/%Y"),
                        "referral": referral.pk,
                        "project": referral.project.name,
                        "url": f"{base_url}/referrals/{referral.pk}/",
                    }
                send_mail(subject, body, None, [owner.email])
                audit.record(
                    actor=None,
                    event=Event.REFERRAL_REMIND,
                    subject=referral,
                    project=referral.project,
                    extra={"follow_up_on": referral.follow_up_on.isoformat(), "owner": owner.pk},
                )
        except IntegrityError:
            report.already += 1
            continue
        report.sent += 1
    return report
