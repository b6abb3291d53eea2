"""E-mail reminders of overdue referrals (``parcours remind_referrals``),
idempotent, the twin of cases' task reminders (``parcours remind``).

One e-mail per referral and follow-up date, to the referral's owner, when an
e-mail host is configured (PARCOURS_EMAIL_HOST). The message names no person
and no receiving organisation: it gives the referral number and a link; the
page then checks access as always."""

from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.lib.reminders import RemindReport, mail_owner, remind_each
from parcours.network.choices import OPEN_STATUSES
from parcours.network.models import Referral, ReferralReminder


def send_referral_reminders(*, base_url: str = "", today=None, now=None) -> RemindReport:
    today = today or timezone.localdate()
    now = now or timezone.now()
    referrals = (
        Referral.objects.filter(status__in=OPEN_STATUSES, follow_up_on__lt=today)
        .select_related("owner", "project")
        .order_by("owner_id", "follow_up_on", "id")
    )

    def compose(referral):
        subject = _("Parcours: referral #%(referral)d to follow up") % {"referral": referral.pk}
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
        return subject, body

    def send(referral, owner):
        ReferralReminder.objects.create(
            referral=referral, follow_up_on=referral.follow_up_on, sent_at=now
        )
        mail_owner(owner, lambda: compose(referral))
        audit.record(
            actor=None,
            event=Event.REFERRAL_REMIND,
            subject=referral,
            project=referral.project,
            extra={"follow_up_on": referral.follow_up_on.isoformat(), "owner": owner.pk},
        )

    return remind_each(
        referrals,
        already_sent=lambda referral: ReferralReminder.objects.filter(
            referral=referral, follow_up_on=referral.follow_up_on
        ).exists(),
        send=send,
    )
