"""Malformed query strings and posts on the agenda and daily-report pages:
a page or a message, never a 500, nothing saved on the wrong day."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from parcours.agenda import services
from parcours.agenda.models import Status
from parcours.daily.models import DailyReport


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "nonsense"])
def test_agenda_and_daily_report_take_any_day_parameter(world, login, day):
    site = world.calais_day_centre
    doctor = login(world.doctor)
    assert doctor.get(reverse("agenda:site", args=[site.pk]), {"day": day}).status_code == 200
    coordinator = login(world.coordinator)
    report = reverse("daily:report", args=[world.calais.pk])
    assert coordinator.get(report, {"day": day}).status_code == 200


def test_a_site_id_in_other_digits_is_not_a_500(world, login):
    doctor = login(world.doctor)
    booking = doctor.get(reverse("agenda:new", args=["medical"]), {"site": "²"})
    assert booking.status_code in (200, 302)
    coordinator = login(world.coordinator)
    report = coordinator.get(reverse("daily:report", args=[world.calais.pk]), {"site": "²"})
    assert report.status_code == 404


def test_a_report_posted_without_its_day_saves_nothing(world, login):
    client = login(world.coordinator)
    response = client.post(
        reverse("daily:save", args=[world.calais.pk]),
        {"incidents": "Bagarre au camp", "version": 0},
    )
    assert response.status_code == 302
    assert not DailyReport.objects.exists()


def test_an_appointment_is_never_put_back_to_planned_in_the_past(world, book):
    appointment = book(timezone.now() + timedelta(days=1))
    services.appointment_update(
        actor=world.doctor, appointment_id=appointment.pk, version=1, data={"status": "cancelled"}
    )
    with pytest.raises(ValidationError):
        services.appointment_update(
            actor=world.doctor,
            appointment_id=appointment.pk,
            version=2,
            data={"status": "planned", "starts_at": timezone.now() - timedelta(days=3)},
        )
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED


def test_a_booking_form_shown_again_after_a_refusal_logs_its_read(world, login, person):
    from parcours.audit.models import AccessLog

    client = login(world.doctor)
    url = reverse("agenda:new", args=["medical"]) + f"?person={person.pk}"
    response = client.post(url, {})
    assert response.status_code == 200  # the form again, with its errors
    rows = AccessLog.objects.filter(user=world.doctor, person=person)
    assert list(rows.values_list("what", "channel")) == [("identity", "web")]
