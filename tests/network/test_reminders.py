"""E-mail reminders of overdue referrals: once per referral and follow-up
date, to the owner only, never a name; nothing without an e-mail host."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.network import services
from parcours.network.models import Referral, ReferralReminder
from parcours.network.reminders import send_referral_reminders


@pytest.fixture
def mail_on(settings):
    settings.EMAIL_HOST = "smtp.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def send(world, person, service):
    return services.referral_send(
        actor=world.doctor,
        person=person,
        data={"kind": "external", "service": service.pk, "reason": "Dental pain"},
        confirm_warnings=True,
    )


def overdue(referral, days=1):
    Referral.objects.filter(pk=referral.pk).update(
        follow_up_on=timezone.localdate() - timedelta(days=days)
    )


def test_an_overdue_referral_is_reminded_once_to_its_owner(
    world, person, service, consent, mail_on
):
    world.doctor.email = "doc@example.org"
    world.doctor.save()
    world.social_worker.email = "social@example.org"
    world.social_worker.save()
    late = send(world, person, service)
    send(world, person, service)  # follow-up in a week: not overdue, no reminder
    overdue(late)

    call_command("remind_referrals", "--base-url", "https://parcours.example.org/")
    call_command("remind_referrals")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["doc@example.org"]  # the owner, nobody else
    assert f"https://parcours.example.org/referrals/{late.pk}/" in message.body
    for secret in ("Tesfay", "TESFAY", "Amanuel", service.name):
        assert secret not in message.subject + message.body  # never a name
    assert ReferralReminder.objects.count() == 1
    assert AuditEvent.objects.filter(event="referral.remind").count() == 1

    # A new follow-up date, overdue again: one more reminder; a closed one: none.
    overdue(late, days=3)
    assert send_referral_reminders().sent == 1
    Referral.objects.filter(pk=late.pk).update(
        status="done", follow_up_on=timezone.localdate() - timedelta(days=5)
    )
    report = send_referral_reminders()
    assert (report.due, report.sent) == (0, 0)
    assert len(mail.outbox) == 2


def test_an_owner_without_an_address_is_counted_not_mailed(
    world, person, service, consent, mail_on
):
    world.doctor.email = ""
    world.doctor.save()
    overdue(send(world, person, service))
    report = send_referral_reminders()
    assert (report.due, report.sent, report.no_address) == (1, 0, 1)
    assert mail.outbox == []


def test_without_an_email_host_nothing_is_sent(world, settings):
    settings.EMAIL_HOST = ""
    with pytest.raises(CommandError, match="home page already shows overdue referrals"):
        call_command("remind_referrals")
